"""A district admin launches a township from the plan page and sees the plan update."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% plan\n" + b"0" * 64


@pytest.fixture
def setup(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.creation.services import plan_year_open
    from safecommunity.orgunits.services import divisions_load

    divisions_load(only_districts={"500103", "500106"})
    city = UserFactory(username="city", role="city", code="500000")
    plan_year_open(year=2026, actor=city)
    return UserFactory(username="yuzhong", role="district", code="500103")


def test_district_admin_launches_a_township_and_the_plan_page_updates(page, live_server, login, setup, tmp_path,
                                                                      external_requests):
    from safecommunity.orgunits.models import CreatingUnit

    login(page, setup)
    page.goto(f"{live_server.url}/creation/plans/2026/")
    row = page.locator("#plan-table tr[data-district='500103']")
    assert row.locator("[data-col='quota']").inner_text() == "4"
    assert row.locator("[data-col='launched-year']").inner_text() == "0"
    assert row.locator("[data-col='gap']").inner_text() == "4"
    assert page.locator("#plan-table tr[data-district='500106']").count() == 0  # only its own district

    page.get_by_label("解放碑街道").check()
    page.fill("#id_launched_on", "2026-03-01")
    plan = tmp_path / "解放碑街道实施方案.pdf"
    plan.write_bytes(PDF)
    page.set_input_files("#id_plan_file", str(plan))
    page.get_by_role("button", name="启动所选单位").click()
    page.wait_for_url(f"{live_server.url}/creation/plans/2026/")

    assert "已启动创建1个单位：解放碑街道" in page.locator(".alert-success").inner_text()
    row = page.locator("#plan-table tr[data-district='500103']")
    assert row.locator("[data-col='launched-year']").inner_text() == "1"
    assert row.locator("[data-col='gap']").inner_text() == "3"
    assert page.get_by_label("解放碑街道").count() == 0  # no longer in the not-launched list
    unit = CreatingUnit.objects.get(org_unit__code="500103003")
    assert (unit.status, str(unit.launched_on)) == ("launched", "2026-03-01")

    page.goto(f"{live_server.url}/orgunits/500103003/")
    history = page.locator("#creation-history")
    assert "2026-03-01" in history.inner_text() and "解放碑街道实施方案.pdf" in history.inner_text()
    assert external_requests == []


def test_launching_without_a_plan_document_is_refused_in_the_page(page, live_server, login, setup):
    from safecommunity.orgunits.models import CreatingUnit

    login(page, setup)
    page.goto(f"{live_server.url}/creation/launch/")
    page.get_by_label("七星岗街道").check()
    page.get_by_role("button", name="启动所选单位").click()
    page.wait_for_load_state()
    assert "这个字段是必填项" in page.content() or "必填" in page.content()
    assert CreatingUnit.objects.get(org_unit__code="500103001").status == "not_started"


def test_the_city_plan_page_draws_its_chart_and_map_offline(page, live_server, login, setup, external_requests):
    from safecommunity.accounts.models import User

    login(page, User.objects.get(username="city"))
    page.goto(f"{live_server.url}/creation/plans/2026/")
    page.wait_for_selector("#targets-chart[data-rendered='1']")
    page.wait_for_selector("#district-map[data-rendered='1']")
    assert page.locator("#targets-chart canvas").count() >= 1
    assert page.locator("#plan-table tbody tr").count() == 2
    assert external_requests == []
