import pytest
from django.urls import reverse

from safecommunity.reports.models import InformationOfficer, MonthlyReport, ReportDeadline
from safecommunity.reports.services import monthly_report_approve

from .conftest import PERIOD

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status


def detail(report, **params):
    url = reverse("reports:report_detail", args=[report.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_report_pages_answer_in_scope_404_out_of_scope_403_for_other_roles(
        submitted, client_for, unit_a, unit_b, district_a, district_b, city_admin, dept_ga, expert):
    url = detail(submitted)
    for user in (unit_a, district_a, city_admin):
        r = client_for(user).get(url)
        assert r.status_code == 200, user
        assert "开展消防宣传两次" in r.content.decode()
    for user in (unit_b, district_b):
        assert client_for(user).get(url).status_code == 404
    for user in (dept_ga, expert):
        assert client_for(user).get(url).status_code == 403
    for fmt in ("print", "pdf", "xlsx"):
        assert client_for(district_a).get(detail(submitted, format=fmt)).status_code == 200
        assert client_for(district_b).get(detail(submitted, format=fmt)).status_code == 404
    pdf = client_for(district_a).get(detail(submitted, format="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client_for(district_a).get(detail(submitted, format="xlsx"))
    assert xlsx.content[:2] == b"PK"


def test_the_list_shows_only_reports_in_scope_and_exports(submitted, client_for, district_a, district_b, dept_ga):
    url = reverse("reports:report_list")
    assert "解放碑街道" in client_for(district_a).get(url).content.decode()
    assert "解放碑街道" not in client_for(district_b).get(url).content.decode()
    assert client_for(dept_ga).get(url).status_code == 403
    r = client_for(district_a).get(url + "?export=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client_for(district_a).get(url + "?period=2026-13")
    assert "YYYY-MM" in r.content.decode()
    assert "解放碑街道" not in client_for(district_a).get(url + "?is_nil=1").content.decode()
    assert "解放碑街道" in client_for(district_a).get(url + "?is_nil=0&period=2026-03").content.decode()


def test_a_unit_writes_its_report_through_the_pages(officers, records, client_for, unit_a):
    client = client_for(unit_a)
    r = client.post(reverse("reports:report_create"), {"period": "2026-03"})
    report = MonthlyReport.objects.get(org_unit=unit_a.org_unit, period=PERIOD)
    assert r.status_code == 302 and r["Location"] == report.get_absolute_url()
    edit = reverse("reports:report_edit", args=[report.pk])
    r = client.post(edit, {"work_done": "", "problems": "", "next_plans": "", "signed_by": report.signed_by_id,
                           "submit": "1"})
    assert r.status_code == 200
    assert "work_done" in r.context["form"].errors
    report.refresh_from_db()
    assert report.status == S.DRAFT
    r = client.post(edit, {"work_done": "宣传", "problems": "", "next_plans": "", "signed_by": report.signed_by_id,
                           "submit": "1"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == S.SUBMITTED and report.work_done == "宣传"
    # a submitted report can no longer be edited: the edit page sends back with the reason
    r = client.post(edit, {"work_done": "改", "signed_by": report.signed_by_id})
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    report.refresh_from_db()
    assert report.work_done == "宣传"


def test_edit_page_is_404_for_other_units_and_403_for_reviewers(draft, client_for, unit_b, city_admin, dept_ga):
    edit = reverse("reports:report_edit", args=[draft.pk])
    assert client_for(unit_b).get(edit).status_code == 404
    assert client_for(unit_b).post(edit, {"work_done": "x"}).status_code == 404
    assert client_for(city_admin).get(edit).status_code == 403
    assert client_for(dept_ga).get(edit).status_code == 403
    for name in ("report_list", "report_create", "officer_list", "officer_create", "deadline_list",
                 "deadline_create", "board", "completeness", "city_summary"):
        assert client_for(dept_ga).get(reverse(f"reports:{name}")).status_code == 403, name


def test_review_through_the_pages_return_needs_reason_then_approve(submitted, client_for, district_a, district_b,
                                                                   unit_a):
    ret = reverse("reports:report_action", args=[submitted.pk, "return"])
    r = client_for(district_a).post(ret, {"reason": ""})
    assert r.status_code == 200 and "reason" in r.context["return_form"].errors
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert client_for(district_b).post(ret, {"reason": "x"}).status_code == 404
    r = client_for(unit_a).post(reverse("reports:report_action", args=[submitted.pk, "approve"]), {})
    assert r.status_code == 403
    r = client_for(district_a).post(reverse("reports:report_action", args=[submitted.pk, "approve"]), {"note": ""})
    assert r.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.DISTRICT_APPROVED


def test_approving_a_report_that_does_not_reconcile_asks_for_a_reason(submitted, client_for, district_a, records,
                                                                     unit_a):
    records.set(unit_a.org_unit, trainings=9)
    page = client_for(district_a).get(detail(submitted)).content.decode()
    assert "reconcile-alert" in page
    r = client_for(district_a).post(reverse("reports:report_action", args=[submitted.pk, "approve"]), {"note": ""})
    assert r.status_code == 200 and "note" in r.context["approve_form"].errors
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_status_board_rows_nil_missing_and_bulk_approval(officers, records, client_for, unit_a, unit_a2, district_a,
                                                         district_b, city_admin, unit_b, dept_ga):
    from safecommunity.reports.services import (
        monthly_report_create,
        monthly_report_submit,
        monthly_report_update,
    )

    r = monthly_report_create(org_unit=unit_a.org_unit, period=PERIOD, actor=unit_a)
    monthly_report_update(report=r, actor=unit_a, is_nil=True)
    monthly_report_submit(report=r, actor=unit_a)
    url = reverse("reports:board") + "?period=2026-03"
    resp = client_for(district_a).get(url)
    assert resp.status_code == 200
    rows = {row.code: row for row in resp.context["rows"]}
    assert set(rows) == {"500103003", "500103001"}
    assert rows["500103003"].is_nil and rows["500103003"].state == "submitted"
    assert rows["500103001"].state == "missing" and rows["500103001"].late
    assert resp.context["counts"].completeness == 50.0
    assert "500106001" not in resp.content.decode()
    assert client_for(unit_a).get(url).status_code == 403
    assert client_for(dept_ga).get(url).status_code == 403
    assert client_for(district_b).get(url + "&district=500103").status_code == 404
    city = client_for(city_admin).get(url)
    assert city.context["level"] == "districts" and len(city.context["rows"]) == 2
    assert client_for(district_a).get(url + "&export=xlsx").content[:2] == b"PK"
    bulk = reverse("reports:bulk_approve")
    assert client_for(unit_a).post(bulk, {"report": [r.pk]}).status_code == 403
    client_for(district_b).post(bulk, {"report": [r.pk]})  # out of scope: nothing happens
    r.refresh_from_db()
    assert r.status == S.SUBMITTED
    resp = client_for(district_a).post(bulk, {"report": [r.pk], "next": url})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.status == S.DISTRICT_APPROVED
    assert r.steps.get(action="district_approve").batch


def test_completeness_page_for_district_and_city(submitted, client_for, district_a, district_b, city_admin, unit_a,
                                                 dept_ga):
    url = reverse("reports:completeness") + "?year=2026"
    resp = client_for(district_a).get(url)
    assert resp.status_code == 200
    march = dict(resp.context["table"])["2026-03"]
    assert (march.expected, march.submitted) == (2, 1)
    city = client_for(city_admin).get(url)
    names = [label for label, _c in city.context["table"]]
    assert names == ["渝中区", "沙坪坝区"]
    assert client_for(city_admin).get(url + "&district=500103").context["district"].code == "500103"
    assert client_for(district_b).get(url + "&district=500103").context["district"].code == "500106"
    assert client_for(unit_a).get(url).status_code == 403
    assert client_for(dept_ga).get(url).status_code == 403
    assert client_for(city_admin).get(url + "&export=xlsx").content[:2] == b"PK"
    assert client_for(city_admin).get(reverse("reports:completeness") + "?year=abc").status_code == 200


def test_city_summary_page_and_outputs(submitted, client_for, city_admin, district_a, unit_a):
    monthly_report_approve(report=submitted, actor=district_a)
    url = reverse("reports:city_summary") + "?period=2026-03"
    resp = client_for(city_admin).get(url)
    assert resp.status_code == 200 and "渝中区" in resp.content.decode()
    for fmt, start in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        assert client_for(city_admin).get(url + f"&format={fmt}").content.startswith(start)
    assert client_for(city_admin).get(url + "&format=print").status_code == 200
    assert client_for(district_a).get(url).status_code == 403


def test_officers_are_scoped_and_validated(officers, client_for, unit_a, unit_b, district_a, dept_ga, tree):
    officer = officers["500103003"]
    edit = reverse("reports:officer_edit", args=[officer.pk])
    assert client_for(unit_a).get(edit).status_code == 200
    assert client_for(unit_b).get(edit).status_code == 404
    assert client_for(dept_ga).get(reverse("reports:officer_list")).status_code == 403
    new = reverse("reports:officer_create")
    r = client_for(unit_a).post(new, {"org_unit": tree["500106001"].pk, "name": "越权"})
    assert r.status_code == 200 and "org_unit" in r.context["form"].errors
    r = client_for(unit_a).post(new, {"org_unit": tree["500103003"].pk, "name": ""})
    assert "name" in r.context["form"].errors
    r = client_for(district_a).post(new, {"org_unit": tree["500103001"].pk, "name": "新信息员", "is_active": "on"})
    assert r.status_code == 302
    assert InformationOfficer.objects.filter(name="新信息员", org_unit=tree["500103001"]).exists()
    assert not InformationOfficer.objects.filter(name="越权").exists()


def test_deadlines_are_data_the_city_edits(client_for, city_admin, district_a, tree):
    url = reverse("reports:deadline_create")
    assert client_for(district_a).get(url).status_code == 403
    r = client_for(city_admin).post(url, {"period": "2026-03-01", "due_on": "2026-02-01"})
    assert "due_on" in r.context["form"].errors and not ReportDeadline.objects.exists()
    r = client_for(city_admin).post(url, {"period": "2026-03-15", "due_on": "2026-04-08", "note": "清明"})
    assert r.status_code == 302
    assert ReportDeadline.objects.get().period.day == 1
    assert "2026-04-08" in client_for(district_a).get(reverse("reports:deadline_list")).content.decode()


def test_home_panels_show_the_units_report_and_what_waits_for_review(submitted, client_for, unit_a, district_a,
                                                                     city_admin, district_b, monkeypatch):
    from safecommunity.reports import panels

    monkeypatch.setattr(panels, "current_period", lambda: PERIOD)
    page = client_for(unit_a).get("/").content.decode()
    assert "reports-panel" in page and "sc-state-submitted" in page
    assert "1 份月报等待您审核" in client_for(district_a).get("/").content.decode()
    assert "0 份月报等待您审核" in client_for(district_b).get("/").content.decode()
    monthly_report_approve(report=submitted, actor=district_a)
    assert "1 份月报等待您审核" in client_for(city_admin).get("/").content.decode()


def test_the_unit_page_lists_its_recent_reports_in_scope_only(submitted, client_for, district_a, monkeypatch):
    from safecommunity.reports import unit_panels

    monkeypatch.setattr(unit_panels, "current_period", lambda: PERIOD)
    page = client_for(district_a).get("/orgunits/500103003/").content.decode()
    assert submitted.get_absolute_url() in page


def test_officer_delete_asks_first_and_is_scoped(officers, client_for, unit_a, unit_b):
    officer = officers["500103003"]
    url = reverse("reports:officer_delete", args=[officer.pk])
    assert client_for(unit_b).post(url).status_code == 404
    assert client_for(unit_a).get(url).status_code == 200
    assert client_for(unit_a).post(url).status_code == 302
    assert not InformationOfficer.objects.filter(pk=officer.pk).exists()


def test_bulk_approval_never_redirects_off_site_and_asks_for_a_selection(submitted, client_for, district_a):
    url = reverse("reports:bulk_approve")
    r = client_for(district_a).post(url, {"report": [submitted.pk], "next": "//evil.example/"})
    assert r["Location"] == reverse("reports:board")
    r = client_for(district_a).post(url, {"report": ["abc"]}, follow=True)
    assert "请选择要审核的月报" in r.content.decode()


def test_report_pages_use_the_reports_words_not_those_of_other_apps(draft, client_for, unit_a):
    """"Submit" is 提交验收 in hazards, "Problems" 问题 in feeds, "name" 名称 in the shared catalogue:
    the reports' own words carry a context and read as meant here."""
    client = client_for(unit_a)
    page = client.get(detail(draft)).content.decode()
    button = page.split('id="btn-submit"')[1].split("</button>")[0]
    assert "报送" in button and "提交验收" not in page
    assert "存在的问题" in page
    form = client.get(reverse("reports:officer_create")).context["form"]
    assert (str(form["name"].label), str(form["is_active"].label)) == ("姓名", "在岗")
