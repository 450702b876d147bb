"""A city office user signs in with password, enrols an authenticator app from the QR code the
server draws (nothing external), keeps the recovery codes, and signs in again with a code."""

import base64

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecommunity.accounts.tests.factories import TEST_PASSWORD
from tests.browser.conftest import _guarded_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/", wait_until="domcontentloaded")
    page.wait_for_selector("#id_username", timeout=30000)
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_city_office_enrols_then_signs_in_with_a_code(page, browser, live_server, city_admin, external_requests,
                                                      settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["city", "sysadmin"]
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0  # no wait after the wrong code
    _password(page, live_server, city_admin)
    page.wait_for_url("**/security/2fa/enrol/**", timeout=30000)
    assert page.locator("img[src='/security/2fa/qr.svg']").evaluate("img => img.naturalWidth") > 0
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=city_admin, confirmed=False)
    assert base64.b32decode(secret) == device.bin_key
    page.fill("#id_token", pyotp.TOTP(secret).now())
    page.click("form button[type=submit]")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.click("text=继续")
    page.wait_for_url(f"{live_server.url}/")

    # Another day, another browser: nothing of the first session (cookies, open home page) is left.
    page.context.close()
    page = _guarded_page(browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN"),
                         live_server, external_requests)
    _password(page, live_server, city_admin)
    page.wait_for_url("**/security/2fa/verify/**", timeout=30000)
    page.fill("#id_token", "000000")
    page.click("form button[type=submit]")
    assert "验证码错误或已过期" in page.locator(".invalid-feedback").inner_text()
    page.fill("#id_token", codes[0])  # a recovery code works once
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert external_requests == []
    page.context.close()
