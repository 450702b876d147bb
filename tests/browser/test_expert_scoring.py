"""An expert scores an application against a 50-item scheme the city loaded from Excel: the
a/b/c/d legend, the evidence the unit filed per item (opened in place), the running total and
the outcome it would give."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "expert-scoring.png"
PDF = b"%PDF-1.4\n" + b"0" * 500


@pytest.fixture
def application(tree, city_admin, unit_a, district_a):
    """A 50-item scheme loaded from Excel (item 20 without its evidence part), an application under
    evaluation against it with a site visit today, archive files and drills filed by the unit."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.activities.models import Drill
    from safecommunity.archive.services import attachment_create
    from safecommunity.core.models import CodeItem
    from safecommunity.evaluation import services
    from safecommunity.evaluation.models import ExpertProfile
    from safecommunity.evaluation.tests.test_schemes import workbook
    from safecommunity.orgunits.models import CreatingUnit

    scheme = services.scheme_import(actor=city_admin, data=workbook())
    CreatingUnit.objects.filter(org_unit__code="500103003").update(
        status="launched", launched_on=date.today() - timedelta(days=500))
    unit = CreatingUnit.objects.get(org_unit__code="500103003")
    elements = {c.code: c for c in CodeItem.objects.of("aqt_element")}
    for code, title in (("E01", "关于成立安全社区创建工作领导小组的通知"), ("E01", "安全社区创建工作制度汇编"),
                        ("E03", "社区安全诊断报告"), ("E07", "综合应急预案"), ("E10", "创建工作报告")):
        attachment_create(uploaded=SimpleUploadedFile(f"{title}.pdf", PDF), org_unit=unit.org_unit, actor=unit_a,
                          role="archive", element=elements[code], title=title,
                          document_date=date.today() - timedelta(days=90))
    for n, days in enumerate((400, 200, 30), start=1):
        Drill.objects.create(org_unit=unit.org_unit, title=f"消防疏散演练{n}", event_type="accident", scenario="火灾",
                             held_on=date.today() - timedelta(days=days), participants=40 + n)
    app = services.application_create(creating_unit=unit, actor=unit_a, scheme=scheme)
    for item in scheme.items.all():
        services.self_score_set(application=app, actor=unit_a, item=item, presence="a", evidence="a", effect="a")
    report = attachment_create(uploaded=SimpleUploadedFile("工作报告.pdf", PDF), org_unit=unit.org_unit,
                               actor=unit_a, title="工作报告", element=elements["E10"])
    services.application_update(application=app, actor=unit_a, work_report=report)
    services.application_submit(application=app, actor=unit_a)
    services.application_review(application=app, actor=district_a, forward=True)
    experts = []
    for name, district in (("exp_zhang", tree["500106"]), ("exp_chen", None)):
        user = UserFactory(username=name, role="expert", code="500000")
        ExpertProfile.objects.create(user=user, field="安全管理", affiliation="重庆大学", home_district=district)
        experts.append(user)
    services.panel_assign(application=app, actor=city_admin, experts=experts, site_visit_on=date.today())
    return app, experts[0]


def test_expert_scores_against_evidence_with_a_running_total(browser, live_server, login, application,
                                                             external_requests):
    from safecommunity.evaluation.models import ExpertScore

    app, expert = application
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        page.on("request", lambda r: external_requests.append(r.url)
                if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None)
        page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
        login(page, expert)
        page.goto(f"{live_server.url}/evaluation/{app.pk}/")
        page.click("#btn-score")
        page.wait_for_url("**/my-scores/")

        legend = page.inner_text("#grade-legend")
        assert all(f"{pct}%" in legend for pct in (100, 70, 30, 0)) and "a" in legend and "d" in legend
        # item 20 has no evidence part: nothing to grade there
        item20 = app.scheme.items.get(number=20)
        assert page.locator(f"select[name='e_{item20.pk}']").count() == 0
        # the evidence the unit filed: archive files of the element and the drills counted
        row1 = page.locator("tr.score-row[data-number='1']")
        assert "关于成立安全社区创建工作领导小组的通知" in row1.inner_text()
        drills_row = page.locator("tr.score-row", has_text="E07").first
        assert "人次参与" in drills_row.inner_text()

        # grade everything a, then item 9 down to b/c/b: the total and outcome follow at once
        page.evaluate("""() => {
            for (const sel of document.querySelectorAll("select.grade")) { sel.value = "a"; }
            document.querySelector("select.grade").dispatchEvent(new Event("change", {bubbles: true}));
        }""")
        assert page.inner_text("#running-total") == "150.00"
        assert page.inner_text("#running-outcome") == "通过"
        item9 = app.scheme.items.get(number=9)
        page.select_option(f"select[name='p_{item9.pk}']", "b")
        page.select_option(f"select[name='e_{item9.pk}']", "c")
        page.select_option(f"select[name='f_{item9.pk}']", "b")
        assert page.inner_text("#running-total") == "148.70"  # item 9: 0.56 + 0.30 + 0.84 = 1.70 of 3
        for name in ("p", "f"):
            page.select_option(f"select[name='{name}_{item20.pk}']", "d")
        assert "20" in page.inner_text("#zero-items")
        assert page.inner_text("#running-outcome") == "不通过"  # an item at 0 fails
        page.select_option(f"select[name='p_{item20.pk}']", "a")
        page.select_option(f"select[name='f_{item20.pk}']", "b")
        assert page.inner_text("#running-total") == "148.16" and page.inner_text("#running-outcome") == "通过"

        page.evaluate("window.scrollTo(0, 0)")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # an evidence file opens in place (a modal over the page)
        row1.locator("a.evidence-link").first.click()
        page.wait_for_selector("#evidence-modal.show")
        assert "/archive/files/" in page.get_attribute("#evidence-modal-frame", "src")
        page.click("#evidence-modal .btn-close")
        page.wait_for_selector("#evidence-modal", state="hidden")

        page.click("button[value=save]")
        page.wait_for_selector(".alert-success")
        assert ExpertScore.objects.filter(member__expert=expert).count() == 50
        total = sum(s.points for s in ExpertScore.objects.filter(member__expert=expert))
        assert total == Decimal("148.16")
        assert external_requests == []
    finally:
        context.close()
