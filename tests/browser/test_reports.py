"""A unit submits its monthly report, the district returns it with a reason and a field comment,
the unit corrects and resubmits, and the district sees what changed and approves."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    from datetime import date

    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.orgunits.models import CreatingUnit
    from safecommunity.orgunits.services import divisions_load
    from safecommunity.reports.models import InformationOfficer

    divisions_load(only_districts={"500103", "500106"})
    CreatingUnit.objects.filter(org_unit__code="500103003").update(status="launched", launched_on=date(2025, 1, 10))
    worker = UserFactory(username="jfb", role="unit", code="500103003", full_name="刘信息员")
    InformationOfficer.objects.create(org_unit=worker.org_unit, name="刘信息员", user=worker)
    reviewer = UserFactory(username="yz", role="district", code="500103", full_name="李科长")
    return worker, reviewer


def switch(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def test_submit_return_resubmit_approve_with_the_changes_shown(page, live_server, login, people, external_requests):
    from safecommunity.reports.models import MonthlyReport
    from safecommunity.reports.periods import current_period

    worker, reviewer = people
    page.on("dialog", lambda dialog: dialog.accept())
    month = current_period().strftime("%Y-%m")

    # the unit writes and submits its report
    login(page, worker)
    page.goto(f"{live_server.url}/reports/new/")
    page.select_option("#id_period", month)
    page.click("button[type=submit]")
    page.wait_for_selector("#figures")
    assert "已启动创建" in page.locator("#figures").inner_text()
    page.get_by_role("link", name="编辑").click()
    page.fill("#id_work_done", "开展消防宣传一次")
    page.click("#btn-save-submit")
    page.wait_for_selector(".sc-state-submitted")
    report = MonthlyReport.objects.get()
    assert report.status == "submitted" and report.version == 1

    # the district returns it: without a reason it is refused, with one it goes back
    switch(page, login, reviewer)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    page.click("#btn-return")
    assert "请填写退回原因" in page.locator("#return-form").inner_text()
    page.fill("#return-form #id_reason", "请写明参加人数")
    page.fill("#return-form #id_c_work_done", "参加人数是多少？")
    page.click("#btn-return")
    page.wait_for_selector(".sc-state-returned")

    # the unit sees the comment, corrects and resubmits
    switch(page, login, worker)
    page.goto(f"{live_server.url}/accounts/notifications/")
    assert "被退回" in page.content()
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    assert "参加人数是多少？" in page.content()
    page.fill("#id_work_done", "开展消防宣传一次，参加居民86人")
    page.click("#btn-save-submit")
    page.wait_for_selector(".sc-state-submitted")

    # the district sees what changed since version 1, and approves
    switch(page, login, reviewer)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    diff = page.locator("#version-diff")
    assert diff.is_visible()
    text = diff.inner_text()
    assert "开展消防宣传一次" in text and "参加居民86人" in text and "本月工作完成情况" in text
    page.click("#btn-approve")
    page.wait_for_selector(".sc-state-district_approved")
    report.refresh_from_db()
    assert report.status == "district_approved" and report.version == 2
    assert list(report.steps.values_list("action", flat=True)) == [
        "create", "submit", "return", "submit", "district_approve"]
    assert external_requests == []


def test_bulk_approval_from_the_board_and_the_completeness_chart(page, live_server, login, people, external_requests):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.orgunits.models import CreatingUnit
    from safecommunity.reports import services
    from safecommunity.reports.models import InformationOfficer, MonthlyReport
    from safecommunity.reports.periods import current_period

    worker, reviewer = people
    CreatingUnit.objects.filter(org_unit__code="500103001").update(status="launched", launched_on=None)
    other = UserFactory(username="qxg", role="unit", code="500103001")
    InformationOfficer.objects.create(org_unit=other.org_unit, name="陈信息员")
    period = current_period()
    for user in (worker, other):
        report = services.monthly_report_create(org_unit=user.org_unit, period=period, actor=user)
        services.monthly_report_update(report=report, actor=user, is_nil=True)
        services.monthly_report_submit(report=report, actor=user)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, reviewer)
    page.goto(f"{live_server.url}/reports/board/?period={period:%Y-%m}")
    assert page.locator("#board .sc-state-submitted").count() == 2
    page.check("#select-all")
    page.click("#btn-bulk-approve")
    page.wait_for_selector(".alert-success")
    assert page.locator("#board .sc-state-district_approved").count() == 2
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {"district_approved"}
    page.goto(f"{live_server.url}/reports/completeness/?year={period.year}")
    page.wait_for_selector("#completeness-chart[data-rendered='1']")
    assert page.locator("#completeness-chart canvas").count() >= 1
    assert external_requests == []
