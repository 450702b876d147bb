"""A district inspector records an inspection on a phone (390 px): two problems with deadlines
and a photo; the unit then sees the two follow-up items and closes one."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "inspection-phone.png"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def people(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.inspections import services
    from safecommunity.inspections.models import InspectionPlan
    from safecommunity.orgunits.services import divisions_load

    divisions_load(only_districts={"500103"})
    officer = UserFactory(username="yuzhong", role="district", code="500103")
    worker = UserFactory(username="jiefangbei", role="unit", code="500103003")
    today = timezone.localdate()
    plan = services.plan_save(plan=InspectionPlan(org_unit=officer.org_unit, title="创建工作督导检查", starts_on=today,
                                                  ends_on=today + timedelta(days=30)),
                              actor=officer, custom_items=["创建机构健全", "隐患排查台账完整", "按期开展应急演练"],
                              units=[worker.org_unit])
    return officer, worker, plan.inspections.get()


def test_an_inspector_records_on_a_phone_and_the_unit_closes_a_finding(browser, live_server, login, people,
                                                                      external_requests, tmp_path):
    officer, worker, inspection = people
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.route(lambda url: not url.startswith(live_server.url),
               lambda route: (external_requests.append(route.request.url), route.abort()))
    login(page, officer)
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/record/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    page.fill("#id_inspector", "张伟、李娜")
    items = page.locator("fieldset[data-item]")
    items.nth(0).get_by_label("符合要求", exact=True).check()
    for i, note in ((1, "台账缺少3月以后的排查记录"), (2, "今年尚未开展应急演练")):
        items.nth(i).get_by_label("存在问题", exact=True).check()
        items.nth(i).locator("textarea").fill(note)
        items.nth(i).locator('input[type="date"]').fill(due)
    photo = tmp_path / "scene.png"
    photo.write_bytes(PNG)
    items.nth(2).locator('input[type="file"]').set_input_files(str(photo))
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.get_by_role("button", name="保存检查记录").click()
    expect(page.get_by_text("检查情况已记录")).to_be_visible()
    assert page.locator("tbody .badge.text-bg-danger").count() == 2
    phone.close()

    desk = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = desk.new_page()
    page.route(lambda url: not url.startswith(live_server.url),
               lambda route: (external_requests.append(route.request.url), route.abort()))
    login(page, worker)
    page.goto(f"{live_server.url}/inspections/follow-ups/")
    rows = page.locator("table.sc-table tbody tr")
    assert rows.count() == 2
    page.get_by_role("link", name="台账缺少3月以后的排查记录").click()
    page.fill("#id_result", "已补齐3月至今的排查记录")
    page.get_by_role("button", name="整改销号").click()
    expect(page.get_by_text("已销号。")).to_be_visible()
    page.goto(f"{live_server.url}/inspections/follow-ups/?status=open")
    assert page.locator("table.sc-table tbody tr").count() == 1
    desk.close()
    assert external_requests == []
