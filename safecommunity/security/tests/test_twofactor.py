import pyotp
import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from safecommunity.accounts.tests.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["city", "sysadmin"]
    # django-otp waits 1, 2, 4… s after each wrong code; these tests try right after a wrong one
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _password_login(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client



def _now(device) -> str:
    import base64

    return pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now()


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_city_office_is_sent_to_enrolment_until_enrolled(city_admin):
    client = _password_login(city_admin)
    response = client.get("/hazards/")
    assert response.status_code == 302 and response["Location"].startswith("/security/2fa/enrol/?next=/hazards/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    qr = client.get("/security/2fa/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=city_admin, confirmed=False)
    # a wrong code names the field and enrols nothing
    bad = client.post("/security/2fa/enrol/?next=/hazards/", {"token": "000000", "next": "/hazards/"})
    assert bad.status_code == 200 and "token" in bad.context["form"].errors
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    done = client.post("/security/2fa/enrol/", {"token": _now(device), "next": "/hazards/"})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get("/").status_code == 200  # this session is verified


def test_enrolled_user_gives_the_code_after_the_password(city_admin):
    device = _enrolled(city_admin)
    client = _password_login(city_admin)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/security/2fa/verify/")
    # nor does the session open the API before the code
    assert client.get("/api/v1/creating-units/").status_code in (401, 403)
    wrong = client.post("/security/2fa/verify/", {"token": "123456", "next": "/"})
    assert wrong.status_code == 200 and "token" in wrong.context["form"].errors
    ok = client.post("/security/2fa/verify/", {"token": _now(device), "next": "/"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/creating-units/").status_code == 200


def test_a_recovery_code_works_once(sysadmin):
    from safecommunity.security.services import recovery_codes_renew

    _enrolled(sysadmin)
    code = recovery_codes_renew(user=sysadmin)[0]
    client = _password_login(sysadmin)
    assert client.post("/security/2fa/verify/", {"token": code, "next": "/"}).status_code == 302
    assert client.get("/accounts/users/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()
    again = _password_login(sysadmin)
    assert again.post("/security/2fa/verify/", {"token": code, "next": "/"}).status_code == 200


def test_optional_for_other_roles(unit_a, client_for):
    client = _password_login(unit_a)
    assert client.get("/").status_code == 200  # no device, not required: password is enough
    device = _enrolled(unit_a)  # a unit user who chose to enrol gives the code too
    client = _password_login(unit_a)
    assert client.get("/").status_code == 302
    assert client.post("/security/2fa/verify/", {"token": _now(device), "next": "/"}).status_code == 302
    assert client.get("/").status_code == 200


def test_the_token_api_asks_for_the_code(city_admin, unit_a):
    api = APIClient()
    refused = api.post("/api/v1/auth/token/", {"username": "city_admin", "password": TEST_PASSWORD})
    assert refused.status_code == 400 and "otp" in refused.json()
    device = _enrolled(city_admin)
    refused = api.post("/api/v1/auth/token/", {"username": "city_admin", "password": TEST_PASSWORD, "otp": "1"})
    assert refused.status_code == 400 and "otp" in refused.json()
    ok = api.post("/api/v1/auth/token/", {"username": "city_admin", "password": TEST_PASSWORD, "otp": _now(device)})
    assert ok.status_code == 200 and ok.json()["token"]
    assert api.post("/api/v1/auth/token/", {"username": "unit_a", "password": TEST_PASSWORD}).status_code == 200


def test_sysadmin_resets_a_lost_phone(city_admin, sysadmin, client_for):
    from django_otp import DEVICE_ID_SESSION_KEY

    _enrolled(city_admin)
    device = _enrolled(sysadmin)
    admin = client_for(sysadmin)
    session = admin.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert admin.post(f"/security/users/{city_admin.pk}/", {"action": "reset_2fa"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=city_admin).exists()


def test_demo_enrols_city_admin_and_sysadmin_with_the_public_key(city_admin, sysadmin):
    from io import StringIO

    from django.core.management import call_command

    from safecommunity.security import demo

    demo.build(stdout=StringIO())
    demo.build(stdout=StringIO())  # idempotent
    device = TOTPDevice.objects.get(user=city_admin, name="demo")
    assert TOTPDevice.objects.filter(confirmed=True).count() == 2
    out = StringIO()
    call_command("demo_code", "city_admin", stdout=out)
    assert out.getvalue().strip() == pyotp.TOTP(demo.DEMO_TOTP_SECRET).now() or device.verify_token(out.getvalue())
