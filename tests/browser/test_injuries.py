"""A surveillance officer enters a case and sees it in the unit's statistics."""

from datetime import date, timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.core.models import CodeItem
    from safecommunity.injuries.models import ReportingSource
    from safecommunity.injuries.services import population_save
    from safecommunity.orgunits.services import divisions_load

    divisions_load(only_districts={"500103"})
    user = UserFactory(username="jfb", role="unit", code="500103003")
    ReportingSource.objects.create(org_unit=user.org_unit, name="渝中区人民医院",
                                   kind=CodeItem.objects.get(codelist__key="injury_source_kind", code="hospital"))
    # The case is entered for yesterday, which on 1 January is last year.
    population_save(actor=user, org_unit=user.org_unit, year=(date.today() - timedelta(days=1)).year,
                    counts={("M", "60-74"): 2000, ("F", "60-74"): 2000})
    return user


def test_enter_a_case_and_see_it_in_the_statistics(page, live_server, login, officer, external_requests):
    login(page, officer)
    page.goto(f"{live_server.url}/injuries/records/new/")
    day = date.today() - timedelta(days=1)
    page.fill("#id_occurred_on", day.isoformat())
    page.fill("#id_occurred_time", "09:15")
    page.fill("#id_age", "72")
    page.select_option("#id_sex", label="女")
    page.select_option("#id_safety_area", label="老年人安全")
    page.select_option("#id_place", label="家中")
    page.select_option("#id_activity", label="家务")
    page.select_option("#id_mechanism", label="跌倒/坠落")
    page.select_option("#id_severity", label="中度")
    page.select_option("#id_outcome", label="住院")
    page.select_option("#id_source", label="渝中区人民医院")
    page.fill("#id_name", "张桂英")
    page.click("button[type=submit]")
    page.wait_for_url("**/injuries/records/*/")
    assert "张桂英" in page.inner_text("[data-personal=name]")  # the recording unit sees the name

    page.goto(f"{live_server.url}/injuries/analysis/?year={day.year}")
    assert page.inner_text("#kpi-total") == "1"
    assert page.inner_text("#kpi-rate") == "0.25"  # 1 / 4,000 × 1,000
    row = page.locator("#table-area tr", has_text="老年人安全")
    assert "1" in row.inner_text() and "0.25" in row.inner_text()
    age_row = page.locator("#table-age tr", has_text="60-74岁")
    assert "0.25" in age_row.inner_text()
    page.wait_for_selector("#chart-trend[data-rendered='1']")
    assert external_requests == []
