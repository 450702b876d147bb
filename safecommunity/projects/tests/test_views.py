"""Project pages and API: scoping, bad input, evidence upload limits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.archive.models import Attachment
from safecommunity.orgunits.models import Department
from safecommunity.projects.models import PhaseEvaluation, Project
from safecommunity.projects.tests.factories import EvaluationFactory, IndicatorFactory, ProjectFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def project(tree):
    return ProjectFactory()


def form_data(**extra):
    return {"name": "儿童道路交通安全项目", "safety_area": None, "target_group": "小学生",
            "problem": "2025年儿童交通伤害15例", "objective": "儿童交通伤害下降30%", "measures": "护学岗\n安全课",
            "start_on": "2025-03-01", "end_on": "2026-02-28", "budget": "50000", **extra}


def area_pk(code="traffic"):
    from safecommunity.core.models import CodeItem

    return CodeItem.objects.of("safety_area").get(code=code).pk


def pages(p):
    ev = EvaluationFactory(project=p)
    return [f"/projects/{p.pk}/", f"/projects/{p.pk}/edit/", f"/projects/{p.pk}/delete/",
            f"/projects/{p.pk}/evaluations/new/", f"/projects/{p.pk}/indicators/new/",
            f"/projects/evaluations/{ev.pk}/", f"/projects/evaluations/{ev.pk}/edit/"]


def test_pages_in_scope_other_district_and_wrong_role(project, client_for, unit_a, district_b, expert):
    urls = pages(project)
    for url in urls:
        assert client_for(unit_a).get(url).status_code == 200, url
        assert client_for(district_b).get(url).status_code == 404, url
        assert client_for(expert).get(url).status_code == 403, url
    for url in ("/projects/", "/projects/evaluations/"):
        assert client_for(expert).get(url).status_code == 403
        assert client_for(district_b).get(url).status_code == 200


def test_department_reads_but_does_not_write(project, client_for, dept_ga):
    client = client_for(dept_ga)  # GA guides traffic, the project's area
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 403
    assert client.get("/projects/new/").status_code == 403


def test_list_is_scoped_and_filters_by_unit_and_year(project, client_for, district_a, district_b):
    ProjectFactory(code="500106001", name="小龙坎项目")
    body = client_for(district_a).get("/projects/?unit=500103003&year=2025").content.decode()
    assert project.name in body and "小龙坎项目" not in body
    assert project.name not in client_for(district_a).get("/projects/?year=2027").content.decode()
    assert project.name not in client_for(district_b).get("/projects/").content.decode()


def test_unit_worker_creates_a_project_for_its_own_unit(tree, client_for, unit_a):
    ga = Department.objects.get(code="GA")
    response = client_for(unit_a).post("/projects/new/", form_data(
        safety_area=area_pk(), org_unit=tree["500106001"].pk, responsible_department=ga.pk))
    assert response.status_code == 302
    p = Project.objects.get()
    assert p.org_unit.code == "500103003"  # the unit field is fixed for a unit worker
    assert p.created_by == unit_a and p.status == "planned"


def test_bad_input_names_the_field_and_saves_nothing(tree, client_for, district_a):
    ga = Department.objects.get(code="GA")
    page = client_for(district_a).post("/projects/new/", form_data(
        safety_area=area_pk(), org_unit=tree["500106001"].pk, end_on="2024-01-01", budget="-5",
        responsible_department=ga.pk, supporting_departments=[ga.pk]))
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert {"org_unit", "budget", "supporting_departments"} <= set(errors)
    assert not Project.objects.exists()


def test_evaluation_form_records_indicator_values(project, client_for, unit_a):
    ind = IndicatorFactory(project=project)
    data = {"year": "2025", "half": "2", "evaluated_on": "2025-12-20", "progress": "完成", f"value_{ind.pk}": "9.5"}
    response = client_for(unit_a).post(f"/projects/{project.pk}/evaluations/new/", data)
    assert response.status_code == 302
    ev = PhaseEvaluation.objects.get()
    assert ev.values.get().value == pytest.approx(9.5)
    again = client_for(unit_a).post(f"/projects/{project.pk}/evaluations/new/", data)
    assert again.status_code == 200 and "half" in again.context["form"].errors
    bad = client_for(unit_a).post(f"/projects/{project.pk}/evaluations/new/", {**data, "half": "1", "year": "1700",
                                                                               f"value_{ind.pk}": "abc"})
    assert {"year", f"value_{ind.pk}"} <= set(bad.context["form"].errors)
    assert PhaseEvaluation.objects.count() == 1


def test_status_buttons(project, client_for, unit_a, unit_b):
    assert client_for(unit_b).post(f"/projects/{project.pk}/status/", {"to": "completed"}).status_code == 404
    client_for(unit_a).post(f"/projects/{project.pk}/status/", {"to": "completed"})
    project.refresh_from_db()
    assert project.status == "completed"
    page = client_for(unit_a).post(f"/projects/{project.pk}/status/", {"to": "in_progress"}, follow=True)
    assert any("已完成" in str(m) for m in page.context["messages"])


def test_detail_says_when_injury_data_is_not_available(project, client_for, unit_a, monkeypatch):
    from safecommunity.projects import selectors

    monkeypatch.setattr(selectors, "injury_modules", lambda: [])
    body = client_for(unit_a).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="no-injury-data"' in body


def test_detail_shows_the_trend_of_figures_of_the_projects_area(project, client_for, unit_a, monkeypatch):
    import types

    from safecommunity.core.plugins import Figure
    from safecommunity.projects import selectors

    unit_id = project.org_unit.creating_unit.pk

    def monthly_figures(*, creating_unit_ids, period):
        return {unit_id: {"injuries_traffic": period.month, "injuries_fire": 99}}

    fake = types.SimpleNamespace(__name__="safecommunity.injuries.monthly_figures", monthly_figures=monthly_figures,
                                 FIGURES=[Figure("injuries_traffic", "交通伤害"), Figure("injuries_fire", "火灾伤害")])
    monkeypatch.setattr(selectors, "injury_modules", lambda: [fake])
    trend = selectors.project_trend(project)
    assert [s["name"] for s in trend["series"]] == ["交通伤害"]
    assert trend["categories"][trend["start_index"]] == "2025-01"
    assert trend["series"][0]["data"][:3] == [1, 2, 3]
    assert 'id="project-trend"' in client_for(unit_a).get(f"/projects/{project.pk}/").content.decode()


def test_evidence_upload_and_its_limits(project, client_for, unit_a, unit_b, settings):
    url = f"/projects/{project.pk}/files/"
    client = client_for(unit_a)
    client.post(url, {"role": "photo", "files": [SimpleUploadedFile("现场.png", PNG)]})
    att = Attachment.objects.get()
    assert (att.object_id, att.org_unit.code, att.element.code, len(att.sha256)) == (project.pk, "500103003", "E05", 64)
    page = client.post(url, {"role": "photo", "files": [SimpleUploadedFile("ok.png", PNG),
                                                        SimpleUploadedFile("virus.exe", b"MZ")]}, follow=True)
    assert any(".exe" in str(m) for m in page.context["messages"])
    settings.ATTACHMENT_MAX_BYTES = 50
    page = client.post(url, {"role": "photo", "files": [SimpleUploadedFile("big.png", PNG)]}, follow=True)
    assert any("MB" in str(m) for m in page.context["messages"])
    assert Attachment.objects.count() == 1  # nothing of the refused batches was kept
    assert client_for(unit_b).post(url, {"role": "photo", "files": [SimpleUploadedFile("a.png", PNG)]}).status_code == 404


def test_api_scoping_and_writes(project, api_client_for, unit_a, district_b, dept_ga, expert):
    assert api_client_for(district_b).get(f"/api/v1/projects/{project.pk}/").status_code == 404
    assert api_client_for(expert).get("/api/v1/projects/").status_code == 403
    assert api_client_for(dept_ga).get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert api_client_for(dept_ga).patch(f"/api/v1/projects/{project.pk}/", {"name": "x"}).status_code == 403
    client = api_client_for(unit_a)
    created = client.post("/api/v1/projects/", {
        "name": "溺水预防", "safety_area": "water", "target_group": "青少年", "problem": "溺水3例", "objective": "零溺水",
        "measures": "巡河", "start_on": "2025-05-01", "supporting_departments": ["GA"]}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["org_unit"] == "500103003" and created.json()["supporting_departments"] == ["GA"]
    bad = client.post("/api/v1/projects/", {"name": "x", "safety_area": "moon", "target_group": "x", "problem": "x",
                                            "objective": "x", "measures": "x", "start_on": "2025-05-01",
                                            "org_unit": "500106001"}, format="json")
    assert bad.status_code == 400 and {"safety_area", "org_unit"} <= set(bad.json())
    assert client.patch(f"/api/v1/projects/{project.pk}/", {"status": "completed"}, format="json").json()["status"] \
        == "in_progress"
    illegal = client.post(f"/api/v1/projects/{project.pk}/transition/", {"to": "planned"}, format="json")
    assert illegal.status_code == 400
    assert client.post(f"/api/v1/projects/{project.pk}/transition/", {"to": "completed"}).json()["status"] == "completed"


def test_api_evaluations_and_files(project, api_client_for, unit_a, unit_b, settings):
    ind = IndicatorFactory(project=project)
    client = api_client_for(unit_a)
    ev = client.post("/api/v1/project-evaluations/", {"project": project.pk, "year": 2025, "half": 1,
                                                       "evaluated_on": "2025-06-30", "progress": "完成",
                                                       "values": [{"indicator": ind.pk, "value": "11"}]},
                     format="json")
    assert ev.status_code == 201, ev.content
    assert ev.json()["values"] == [{"indicator": ind.pk, "value": "11.00"}]
    other = api_client_for(unit_b).post("/api/v1/project-evaluations/", {
        "project": project.pk, "year": 2025, "half": 2, "evaluated_on": "2025-12-30", "progress": "x"}, format="json")
    assert other.status_code == 400 and "project" in other.json()
    url = f"/api/v1/project-evaluations/{ev.json()['id']}/files/"
    assert client.post(url, {"role": "photo", "files": [SimpleUploadedFile("a.png", PNG)]},
                       format="multipart").status_code == 201
    settings.ATTACHMENT_MAX_BYTES = 10
    big = client.post(url, {"role": "photo", "files": [SimpleUploadedFile("b.png", PNG)]}, format="multipart")
    assert big.status_code == 400
    assert len(client.get(url).json()) == 1
    assert api_client_for(unit_b).get(url).status_code == 404
