"""An application from self-assessment to certificate, through every role's pages."""

from datetime import date, timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n" + b"0" * 500


@pytest.fixture
def setup(tree):
    """Seed data that a transactional test may have flushed, a launched unit and two experts."""
    from decimal import Decimal

    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.core.codelists import AQT_ELEMENTS
    from safecommunity.core.models import CodeItem
    from safecommunity.core.services import codelist_ensure
    from safecommunity.evaluation.models import ExpertProfile, RewardRate, Scheme, SchemeItem
    from safecommunity.evaluation.seeds import ensure_default_schemes
    from safecommunity.orgunits.models import CreatingUnit

    codelist_ensure(key="aqt_element", name="AQ/T 9001 要素", items=AQT_ELEMENTS)
    ensure_default_schemes(Scheme, SchemeItem, CodeItem)
    from safecommunity.evaluation.tests.conftest import complete_national_scheme

    complete_national_scheme()  # a scheme with placeholder items cannot be chosen
    RewardRate.objects.get_or_create(level="city", defaults={"amount": Decimal("50000")})
    CreatingUnit.objects.filter(org_unit__code="500103003").update(
        status="launched", launched_on=date.today() - timedelta(days=500))
    experts = []
    for name, district in (("exp_one", tree["500106"]), ("exp_two", None)):
        user = UserFactory(username=name, role="expert", code="500000")
        ExpertProfile.objects.create(user=user, field="安全管理", affiliation="重庆大学", home_district=district)
        experts.append(user)
    local = UserFactory(username="exp_local", role="expert", code="500000")
    ExpertProfile.objects.create(user=local, field="消防", affiliation="渝中区", home_district=tree["500103"])
    return experts


@pytest.fixture
def contexts():
    """Every browser context the test opens is closed before the live server stops."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def as_user(browser, live_server, login, contexts, user, external_requests):
    for old in contexts:  # one signed-in user at a time
        old.close()
    contexts.clear()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.on("request", lambda r: external_requests.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None)
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page.on("dialog", lambda d: d.accept())
    login(page, user)
    return page


def grade_all(page, value="a", skip=()):
    page.evaluate("""([value, skip]) => {
        for (const sel of document.querySelectorAll("select[name^='p_'], select[name^='e_'], select[name^='f_']")) {
            sel.value = value;
        }
        for (const name of skip) { document.querySelector(`select[name='${name}']`).value = "c"; }
    }""", [value, list(skip)])


def test_application_from_self_assessment_to_certificate(browser, live_server, login, setup, unit_a, district_a,
                                                         city_admin, external_requests, tmp_path, contexts):
    from safecommunity.evaluation.models import Application, Designation, SchemeItem

    url = live_server.url
    e1, e2 = setup

    # The unit applies and fills its self-assessment.
    page = as_user(browser, live_server, login, contexts, unit_a, external_requests)
    page.goto(f"{url}/evaluation/apply/")
    page.click("button[type=submit]")
    page.wait_for_url("**/self-assessment/")
    grade_all(page)
    page.click("button[value=save]")
    page.wait_for_selector(".alert-success")
    app = Application.objects.get()
    assert app.self_scores.count() == 50
    report = tmp_path / "工作报告.pdf"
    report.write_bytes(PDF)
    page.goto(f"{url}/evaluation/{app.pk}/work-report/")
    page.fill("#id_summary", "三年来围绕12个要素开展创建工作。")
    page.set_input_files("#id_work_report", str(report))
    page.click("button[type=submit]")
    page.wait_for_url(f"**/evaluation/{app.pk}/")
    page.click("#btn-submit")
    page.wait_for_selector("text=已报区县初审")

    # The district forwards it.
    page = as_user(browser, live_server, login, contexts, district_a, external_requests)
    page.goto(f"{url}/evaluation/{app.pk}/review/")
    page.select_option("#id_decision", "forward")
    page.click("button[type=submit]")
    page.wait_for_selector("text=已报市安委办")

    # The city assigns a panel; the expert from 渝中区 is flagged as a conflict.
    page = as_user(browser, live_server, login, contexts, city_admin, external_requests)
    page.goto(f"{url}/evaluation/{app.pk}/panel/")
    assert "需回避" in page.content()
    page.check(f"input[name=experts][value='{e1.pk}']")
    page.check(f"input[name=experts][value='{e2.pk}']")
    page.select_option("#id_lead", str(e1.pk))
    page.fill("#id_site_visit_on", date.today().isoformat())
    page.click("button[type=submit]")
    page.wait_for_selector("text=专家评定中")

    # Each expert scores blind and submits; expert two disagrees on item 3.
    item3 = SchemeItem.objects.get(scheme=app.scheme, number=3)
    for expert, skip in ((e2, [f"p_{item3.pk}", f"e_{item3.pk}", f"f_{item3.pk}"]), (e1, [])):
        page = as_user(browser, live_server, login, contexts, expert, external_requests)
        page.goto(f"{url}/evaluation/{app.pk}/my-scores/")
        assert page.locator("td.text-end:has-text('2.')").count() == 0  # nobody's points shown yet
        grade_all(page, skip=skip)
        page.click("button[value=submit]")
        page.wait_for_selector("text=您的评分已提交")

    # The lead sees the spread, agrees the final scores (one deduction) and computes the result.
    page.goto(f"{url}/evaluation/{app.pk}/consolidate/")
    assert page.locator("tr[data-disagree='1']").count() == 1
    page.select_option(f"select[name='p_{item3.pk}']", "a")
    page.select_option(f"select[name='e_{item3.pk}']", "b")
    page.select_option(f"select[name='f_{item3.pk}']", "a")
    page.fill(f"input[name='c_{item3.pk}']", "工作制度未覆盖志愿者组织")
    page.fill(f"input[name='r_{item3.pk}']", "现场核实：制度文件已印发，志愿者组织部分缺失")
    page.click("button[value=submit]")
    page.wait_for_selector("#app-result")
    assert "通过" in page.inner_text("#app-result")

    # The city confirms: designation with certificate number and a PDF certificate.
    page = as_user(browser, live_server, login, contexts, city_admin, external_requests)
    page.goto(f"{url}/evaluation/{app.pk}/confirm/")
    page.click("button[type=submit]")
    page.wait_for_selector("#link-designation")
    page.click("#link-designation")
    cert = Designation.objects.get().certificate_no
    assert page.inner_text("#cert-no") == cert
    response = page.request.get(url + page.get_attribute("#btn-certificate", "href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    app.refresh_from_db()
    assert app.status == "designated" and app.creating_unit.status == "city"
    assert app.rectifications.count() == 1
    assert external_requests == []
