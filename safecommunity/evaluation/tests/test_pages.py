from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.evaluation import services
from safecommunity.evaluation.models import Application, Designation, Reward, SpecialFund

from .conftest import PDF, score_all


@pytest.fixture
def designated(evaluating, experts, city_admin):
    for key in ("e1", "e2"):
        score_all(services.expert_score_set, evaluating, actor=experts[key])
        services.expert_submit(application=evaluating, actor=experts[key])
    score_all(services.final_score_set, evaluating, actor=city_admin, overrides={4: ("b", "a", "a")})
    app = services.application_decide(application=evaluating, actor=city_admin)
    return services.application_confirm(application=app, actor=city_admin)


@pytest.fixture
def fund(launched_a, unit_a):
    f = services.fund_save(actor=unit_a, creating_unit=launched_a, year=2026, budget=200000)
    services.spending_create(actor=unit_a, fund=f, spent_on=date(2026, 3, 5), item="宣传材料", amount=12000,
                             vouchers=[SimpleUploadedFile("发票.pdf", PDF)])
    return f


def app_urls(pk):
    return [f"/evaluation/{pk}/", f"/evaluation/{pk}/report/", f"/evaluation/{pk}/report.pdf"]


def test_application_pages_scoped(designated, client_for, unit_a, district_a, city_admin, unit_b, district_b, dept_ga,
                                  sysadmin):
    pk = designated.pk
    for url in app_urls(pk):
        for user in (unit_a, district_a, city_admin):
            assert client_for(user).get(url).status_code == 200, (url, user)
        for user in (unit_b, district_b):
            assert client_for(user).get(url).status_code == 404, (url, user)
        for user in (dept_ga, sysadmin):
            assert client_for(user).get(url).status_code == 403, (url, user)
    for url in ("/evaluation/", "/evaluation/designations/", "/evaluation/funds/", "/evaluation/schemes/"):
        assert client_for(unit_a).get(url).status_code == 200
        assert client_for(dept_ga).get(url).status_code == 403
    assert "解放碑" not in client_for(district_b).get("/evaluation/").content.decode().split("<table")[1]


def test_certificate_pdf_and_designation_scoped(designated, client_for, unit_a, district_b, dept_ga):
    d = Designation.objects.get(application=designated)
    r = client_for(unit_a).get(f"/evaluation/designations/{d.pk}/certificate.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert b"/FontFile2" in r.content or b"STSong" in r.content  # embedded TTF, or the CID fallback
    assert client_for(district_b).get(f"/evaluation/designations/{d.pk}/").status_code == 404
    assert client_for(dept_ga).get(f"/evaluation/designations/{d.pk}/").status_code == 403


def test_report_pdf_has_live_data(designated, client_for, city_admin):
    r = client_for(city_admin).get(f"/evaluation/{designated.pk}/report.pdf")
    assert r.content.startswith(b"%PDF") and len(r.content) > 5000
    page = client_for(city_admin).get(f"/evaluation/{designated.pk}/report/").content.decode()
    assert "扣分说明" in page and str(designated.final_total) in page


def test_report_docx_holds_the_scores_and_deductions(designated, client_for, city_admin, district_b):
    import io

    from docx import Document

    r = client_for(city_admin).get(f"/evaluation/{designated.pk}/report.docx")
    assert r["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert designated.org_unit.name in text and str(designated.final_total) in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "E01 安全社区创建机构与职责" in cells
    assert len(doc.tables) == 4
    assert client_for(district_b).get(f"/evaluation/{designated.pk}/report.docx").status_code == 404


def test_expert_sees_only_assigned_open_applications(evaluating, experts, client_for, designated=None):
    pk = evaluating.pk
    assert client_for(experts["e1"]).get(f"/evaluation/{pk}/").status_code == 200
    assert client_for(experts["local"]).get(f"/evaluation/{pk}/").status_code == 404
    assert client_for(experts["e1"]).get(f"/evaluation/{pk}/consolidate/").status_code == 403  # not lead+submitted
    assert client_for(experts["e1"]).get(f"/evaluation/{pk}/my-scores/").status_code == 200
    assert client_for(experts["local"]).get(f"/evaluation/{pk}/my-scores/").status_code == 404


def test_expert_loses_access_when_closed(designated, experts, client_for, api_client_for):
    assert client_for(experts["e1"]).get(f"/evaluation/{designated.pk}/").status_code == 404
    assert api_client_for(experts["e1"]).get(f"/api/v1/evaluation/applications/{designated.pk}/").status_code == 404


def test_expert_scores_page_blind_until_submit(evaluating, experts, client_for):
    e1, e2 = experts["e1"], experts["e2"]
    score_all(services.expert_score_set, evaluating, actor=e2, grades=("c", "c", "c"), )
    page = client_for(e1).get(f"/evaluation/{evaluating.pk}/my-scores/")
    assert all(score is None for _item, score, _files in page.context["rows"])


def test_review_return_without_reason_names_field(submitted, client_for, district_a, district_b):
    r = client_for(district_a).post(f"/evaluation/{submitted.pk}/review/", {"decision": "return", "reason": ""})
    assert r.status_code == 200 and "reason" in r.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert client_for(district_b).post(f"/evaluation/{submitted.pk}/review/",
                                       {"decision": "forward"}).status_code == 404
    r = client_for(district_a).post(f"/evaluation/{submitted.pk}/review/", {"decision": "forward"})
    assert r.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "forwarded"


def test_panel_form_refuses_conflicted_expert(submitted, district_a, city_admin, client_for, experts):
    services.application_review(application=submitted, actor=district_a, forward=True)
    r = client_for(city_admin).post(f"/evaluation/{submitted.pk}/panel/", {
        "experts": [experts["e1"].pk, experts["local"].pk], "site_visit_on": "2026-12-01"})
    assert r.status_code == 200 and "experts" in r.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == "forwarded"
    assert client_for(district_a).get(f"/evaluation/{submitted.pk}/panel/").status_code == 403


def test_self_assessment_grid_saves_all_or_nothing(launched_a, unit_a, client_for):
    app = services.application_create(creating_unit=launched_a, actor=unit_a)
    items = list(app.scheme.items.all()[:2])
    data = {f"p_{items[0].pk}": "a", f"e_{items[0].pk}": "b", f"f_{items[0].pk}": "a",
            f"p_{items[1].pk}": "a", f"e_{items[1].pk}": "", f"f_{items[1].pk}": "a", "then": "save"}
    r = client_for(unit_a).post(f"/evaluation/{app.pk}/self-assessment/", data)
    assert r.status_code == 200 and not app.self_scores.exists()
    assert str(items[1].number) in " ".join(r.context["errors"])
    data[f"e_{items[1].pk}"] = "c"
    assert client_for(unit_a).post(f"/evaluation/{app.pk}/self-assessment/", data).status_code == 302
    assert app.self_scores.count() == 2


def test_funds_and_rewards(designated, fund, client_for, unit_a, district_a, district_b, dept_ga):
    r = client_for(unit_a).get(f"/evaluation/funds/{fund.pk}/")
    assert r.status_code == 200 and "发票.pdf" in r.content.decode()
    assert client_for(district_b).get(f"/evaluation/funds/{fund.pk}/").status_code == 404
    r = client_for(unit_a).post(f"/evaluation/funds/{fund.pk}/", {"spent_on": "2025-01-01", "item": "x",
                                                                  "amount": "10"})
    assert r.status_code == 200 and "spent_on" in r.context["form"].errors
    assert fund.spendings.count() == 1
    reward = Reward.objects.get()
    assert reward.district.code == "500103"
    assert client_for(district_a).get("/evaluation/rewards/").status_code == 200
    assert client_for(unit_a).get("/evaluation/rewards/").status_code == 403
    assert client_for(district_b).get(f"/evaluation/rewards/{reward.pk}/paid/").status_code == 404
    assert client_for(district_a).post(f"/evaluation/rewards/{reward.pk}/paid/",
                                       {"paid_on": "2026-01-02"}).status_code == 302


def test_monthly_figures_and_obligation(fund, launched_a):
    from safecommunity.evaluation.monthly_figures import monthly_figures
    from safecommunity.evaluation.obligations import count_fund_budget

    assert monthly_figures(creating_unit_ids=[launched_a.pk], period=date(2026, 3, 1)) == {
        launched_a.pk: {"special_fund_spent": 12000}}
    assert monthly_figures(creating_unit_ids=[launched_a.pk], period=date(2026, 4, 1)) == {}
    assert count_fund_budget(creating_unit_ids=[launched_a.pk], year=2026) == {launched_a.pk: 1}
    assert SpecialFund.objects.count() == 1


def test_api_workflow_cannot_skip_states(launched_a, unit_a, api_client_for, city_admin, district_b):
    app = services.application_create(creating_unit=launched_a, actor=unit_a)
    r = api_client_for(city_admin).post(f"/api/v1/evaluation/applications/{app.pk}/decide/")
    assert r.status_code == 400
    r = api_client_for(unit_a).post(f"/api/v1/evaluation/applications/{app.pk}/submit/")
    assert r.status_code == 400 and "work_report" in r.json()
    assert api_client_for(district_b).get(f"/api/v1/evaluation/applications/{app.pk}/").status_code == 404
    item = app.scheme.items.first()
    r = api_client_for(unit_a).post(f"/api/v1/evaluation/applications/{app.pk}/self-score/",
                                    {"item": item.pk, "presence": "z", "evidence": "a", "effect": "a"})
    assert r.status_code == 400 and "presence" in r.json()
    assert Application.objects.get(pk=app.pk).status == "draft"


def test_api_expert_blindness(evaluating, experts, api_client_for):
    e1, e2 = experts["e1"], experts["e2"]
    item = evaluating.scheme.items.first()
    api_client_for(e2).post(f"/api/v1/evaluation/applications/{evaluating.pk}/scores/",
                            {"item": item.pk, "presence": "c", "evidence": "c", "effect": "c"})
    rows = api_client_for(e1).get(f"/api/v1/evaluation/applications/{evaluating.pk}/scores/").json()
    assert rows == []


def test_unit_page_panel_shows_archive_and_evaluation(designated, client_for, unit_a, district_b):
    page = client_for(unit_a).get("/orgunits/500103003/").content.decode()
    assert "/archive/completeness/500103003/" in page and "渝安社" in page
    assert client_for(district_b).get("/orgunits/500103003/").status_code in (403, 404)


def test_reminder_command_runs(designated, capsys):
    from django.core.management import call_command

    call_command("evaluation_reminders")
    assert "reminders sent" in capsys.readouterr().out


def test_national_designation_recorded_with_document(designated, city_admin, launched_a, client_for):
    r = client_for(city_admin).post("/evaluation/designations/record/", {
        "creating_unit": launched_a.pk, "level": "national", "outcome": "passed", "designated_on": "2026-10-01",
        "certificate_no": "全国安社〔2026〕12号"})
    assert r.status_code == 200 and "document" in r.context["form"].errors
    r = client_for(city_admin).post("/evaluation/designations/record/", {
        "creating_unit": launched_a.pk, "level": "national", "outcome": "passed", "designated_on": "2026-10-01",
        "certificate_no": "全国安社〔2026〕12号", "document": SimpleUploadedFile("命名文件.pdf", PDF)})
    assert r.status_code == 302
    launched_a.refresh_from_db()
    assert launched_a.status == "national"
    assert Designation.objects.get(level="national").document.original_name == "命名文件.pdf"


def test_city_defines_its_own_scheme(tree, client_for, city_admin, unit_a):
    from safecommunity.evaluation.models import Scheme

    data = {"code": "cq-100", "name": "重庆市评定标准", "purpose": "city", "pass_total": "90", "rectify_total": "95",
            "grade_a_pct": 100, "grade_b_pct": 70, "grade_c_pct": 30, "grade_d_pct": 0, "is_active": "on"}
    r = client_for(city_admin).post("/evaluation/schemes/new/", data)
    assert r.status_code == 200 and "rectify_total" in r.context["form"].errors
    assert not Scheme.objects.filter(code="cq-100").exists()
    data["rectify_total"] = ""
    assert client_for(city_admin).post("/evaluation/schemes/new/", data).status_code == 302
    scheme = Scheme.objects.get(code="cq-100")
    r = client_for(city_admin).post(f"/evaluation/schemes/{scheme.pk}/items/new/", {
        "number": 1, "text": "领导机构", "presence_points": "2", "evidence_points": "3", "effect_points": "-1"})
    assert r.status_code == 200 and "effect_points" in r.context["form"].errors
    assert client_for(city_admin).post(f"/evaluation/schemes/{scheme.pk}/items/new/", {
        "number": 1, "text": "领导机构", "presence_points": "2", "evidence_points": "3",
        "effect_points": "5"}).status_code == 302
    assert scheme.total_points == 10
    assert client_for(unit_a).get("/evaluation/schemes/new/").status_code == 403
    assert client_for(unit_a).get(f"/evaluation/schemes/{scheme.pk}/").status_code == 200


@pytest.mark.parametrize("endpoint", ["designations", "funds", "rewards", "rectifications", "applications"])
def test_api_lists_are_scoped(designated, fund, api_client_for, city_admin, district_a, district_b, dept_ga, endpoint):
    def ids(user):
        r = api_client_for(user).get(f"/api/v1/evaluation/{endpoint}/")
        if r.status_code != 200:
            return r.status_code
        data = r.json()
        return len(data["results"] if isinstance(data, dict) else data)

    assert ids(city_admin) >= 1 and ids(district_a) >= 1
    assert ids(district_b) == 0
    assert ids(dept_ga) == 403


def test_expert_reads_the_archive_of_assigned_units_only(evaluating, experts, api_client_for, tree, unit_b):
    from safecommunity.archive.services import attachment_create

    other = attachment_create(uploaded=SimpleUploadedFile("b.pdf", PDF + b"b"), org_unit=tree["500106001"],
                              actor=unit_b, title="别的单位")
    r = api_client_for(experts["e1"]).get("/api/v1/archive/files/").json()
    titles = {row["title"] for row in (r["results"] if isinstance(r, dict) else r)}
    assert "工作报告" in titles and "别的单位" not in titles
    assert api_client_for(experts["local"]).get("/api/v1/archive/files/").json() in ([], {"count": 0, "next": None,
                                                                                        "previous": None,
                                                                                        "results": []})
    assert api_client_for(experts["e1"]).get(f"/api/v1/archive/files/{other.pk}/").status_code == 404


def test_home_panels_show_each_role_its_waiting_work(evaluating, experts, client_for, city_admin, district_b):
    page = client_for(experts["e1"]).get("/").content.decode()
    assert f"/evaluation/{evaluating.pk}/my-scores/" in page
    assert "/evaluation/" + str(evaluating.pk) not in client_for(experts["local"]).get("/").content.decode()
    assert "解放碑街道" not in client_for(district_b).get("/").content.decode().split("sc-card mt-3")[-1]
