"""A unit worker with 3 drills this year records a fourth and sees the scorecard rule turn green."""

from datetime import date

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.activities.tests.factories import DrillFactory
    from safecommunity.orgunits.models import CreatingUnit
    from safecommunity.orgunits.services import divisions_load

    divisions_load(only_districts={"500103"})
    today = timezone.localdate()
    CreatingUnit.objects.filter(org_unit__code="500103003").update(status="launched", launch_year=today.year)
    for month in (1, 2, 3):
        DrillFactory(held_on=date(today.year, month, 10))
    return UserFactory(username="jiefangbei", role="unit", code="500103003")


def test_a_fourth_drill_turns_the_rule_green(page, live_server, login, worker, external_requests):
    login(page, worker)
    drills = page.locator('#scorecard-panel tr[data-rule="drills"]')  # the home page shows the scorecard
    assert drills.get_attribute("data-status") in ("due", "not_met")
    assert drills.locator("td").nth(1).inner_text().startswith("3")

    drills.locator("a").first.click()  # the figure links to the records behind it
    assert page.locator("table.sc-table tbody tr").count() == 3
    page.get_by_role("link", name="新增").click()
    page.fill("#id_title", "商场火灾疏散演练")
    page.select_option("#id_event_type", "accident")
    page.fill("#id_scenario", "商场三楼餐饮区起火，组织顾客疏散")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_participants", "150")
    page.fill("#id_evaluation", "疏散用时6分钟，达到预案要求")
    page.fill("#id_follow_up", "增设疏散指示标志")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("已保存").is_visible()

    page.goto(f"{live_server.url}/scorecard/units/500103003/")
    row = page.locator('tr[data-rule="drills"]')
    assert row.get_attribute("data-status") == "met"
    assert row.locator(".badge").inner_text().strip() == "达标"
    assert "text-bg-success" in row.locator(".badge").get_attribute("class")
    assert external_requests == []
