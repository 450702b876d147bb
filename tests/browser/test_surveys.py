"""A resident answers the awareness survey on a 360 px phone through the round's QR link (no
sign-in), and the unit's result page counts the answer."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "survey-phone.png"


@pytest.fixture
def survey_round(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.orgunits.models import OrgUnit
    from safecommunity.orgunits.services import divisions_load
    from safecommunity.surveys import services
    from safecommunity.surveys.models import SurveyRound
    from safecommunity.surveys.shipped import shipped_install

    divisions_load(only_districts={"500103"})
    worker = UserFactory(username="jiefangbei", role="unit", code="500103003")
    shipped = {q.family: q for q in shipped_install(org_unit=OrgUnit.objects.get(level="city"))}
    today = timezone.localdate()
    r = services.round_save(survey_round=SurveyRound(
        org_unit=worker.org_unit, questionnaire=shipped["awareness"], title="居民安全社区知晓率调查",
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30), population=20_000), actor=worker)
    return worker, r


def test_a_resident_answers_on_a_phone_and_the_result_counts_it(browser, page, live_server, login, survey_round,
                                                                external_requests):
    worker, r = survey_round
    login(page, worker)
    page.goto(f"{live_server.url}/surveys/rounds/{r.pk}/")
    expect(page.get_by_text("n = 377")).to_be_visible()
    assert page.locator('[data-testid="responses-done"]').inner_text() == "0"
    qr = page.locator('img[alt="调查链接二维码"]')
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    link = page.locator('[data-testid="public-link"]').get_attribute("href")
    assert link.startswith(live_server.url) and "/surveys/s/" in link

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    mobile = phone.new_page()
    mobile.route(lambda url: not url.startswith(live_server.url), lambda route: (external_requests.append(route.request.url), route.abort()))
    mobile.goto(link)
    expect(mobile.get_by_text("安全社区知晓率和参与率调查问卷")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    w3 = mobile.locator('[data-code="W3"]')
    assert w3.is_hidden()  # skip logic: asked only of those who know the unit is creating
    mobile.locator('[data-code="W1"] label', has_text="是").click()
    mobile.locator('[data-code="W2"] label', has_text="是").click()
    assert w3.is_visible()
    w3.locator("label", has_text="微信/网络").click()
    mobile.locator('[data-code="J1"] label', has_text="否").click()
    assert mobile.locator('[data-code="J2"]').is_hidden()
    mobile.get_by_label("女").check()
    mobile.select_option("#id_age_band", "25-44")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    mobile.screenshot(path=str(SCREENSHOT), full_page=True)
    mobile.get_by_role("button", name="提交问卷").click()
    expect(mobile.get_by_text("谢谢！您的答卷已收到。")).to_be_visible()
    # the same phone cannot answer twice
    mobile.goto(link)
    expect(mobile.get_by_text("这部手机已经填写过本调查")).to_be_visible()
    phone.close()

    page.goto(f"{live_server.url}/surveys/rounds/{r.pk}/")
    assert page.locator('[data-testid="responses-done"]').inner_text() == "1"
    page.get_by_role("link", name="调查结果").click()
    page.wait_for_url(f"{live_server.url}/surveys/rounds/{r.pk}/results/")
    page.wait_for_selector('#results-chart[data-rendered="1"]')  # ECharts drew the rates
    table = page.locator('[data-testid="indicator-table"]')
    expect(page.get_by_text("共 1 份答卷")).to_be_visible()
    first = table.locator("tbody tr").first
    assert first.locator("td").nth(0).inner_text() == "知晓率"
    assert first.locator("td").nth(1).inner_text() == "2"  # W1 and W2 answered
    assert first.locator("td").nth(2).inner_text() == "100.0%"
    assert external_requests == []
