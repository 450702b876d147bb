"""Indicators, editing, monthly figures and the API's indicator endpoint."""

from datetime import date

import pytest

from safecommunity.orgunits.models import CreatingUnit
from safecommunity.projects import monthly_figures
from safecommunity.projects.models import Indicator, Project
from safecommunity.projects.tests.factories import EvaluationFactory, IndicatorFactory, ProjectFactory


def test_indicator_added_on_the_project_page(tree, client_for, unit_a, unit_b, district_b):
    p = ProjectFactory()
    url = f"/projects/{p.pk}/indicators/new/"
    assert client_for(unit_b).post(url, {"name": "x", "baseline": "1", "target": "2"}).status_code == 404
    assert client_for(unit_a).post(url, {"name": "跌倒率", "unit": "‰", "baseline": "12", "target": "9"}).status_code == 302
    again = client_for(unit_a).post(url, {"name": "跌倒率", "baseline": "abc", "target": "9"})
    assert again.status_code == 200 and "baseline" in again.context["form"].errors
    assert Indicator.objects.get().project == p


def test_a_district_cannot_move_a_project_to_another_district(tree, client_for, district_a):
    p = ProjectFactory()
    data = {f: getattr(p, f) for f in ("name", "target_group", "problem", "objective", "measures")}
    page = client_for(district_a).post(f"/projects/{p.pk}/edit/", {
        **data, "safety_area": p.safety_area_id, "start_on": "2025-01-01", "org_unit": tree["500106001"].pk})
    assert page.status_code == 200 and "org_unit" in page.context["form"].errors
    ok = client_for(district_a).post(f"/projects/{p.pk}/edit/", {
        **data, "name": "改名", "safety_area": p.safety_area_id, "start_on": "2025-01-01",
        "org_unit": tree["500103001"].pk})
    assert ok.status_code == 302
    p.refresh_from_db()
    assert (p.name, p.org_unit.code, p.status) == ("改名", "500103001", Project.Status.IN_PROGRESS)


def test_evaluation_edit_keeps_one_per_half(tree, client_for, unit_a):
    p = ProjectFactory()
    EvaluationFactory(project=p, half=1)
    second = EvaluationFactory(project=p, half=2)
    page = client_for(unit_a).post(f"/projects/evaluations/{second.pk}/edit/", {
        "year": "2025", "half": "1", "evaluated_on": "2025-12-01", "progress": "x"})
    assert page.status_code == 200 and "half" in page.context["form"].errors
    second.refresh_from_db()
    assert second.half == 2


def test_delete_asks_first(tree, client_for, unit_a, unit_b):
    p = ProjectFactory()
    assert client_for(unit_a).get(f"/projects/{p.pk}/delete/").status_code == 200
    assert client_for(unit_b).post(f"/projects/{p.pk}/delete/").status_code == 404
    assert client_for(unit_a).post(f"/projects/{p.pk}/delete/").status_code == 302
    assert not Project.objects.exists()


def test_monthly_figures_count_evaluations_of_the_month(tree):
    p = ProjectFactory()
    EvaluationFactory(project=p, half=1, evaluated_on=date(2025, 6, 3))
    EvaluationFactory(project=ProjectFactory(), half=1, evaluated_on=date(2025, 6, 30))
    EvaluationFactory(project=p, half=2, evaluated_on=date(2025, 7, 1))
    unit = CreatingUnit.objects.get(org_unit__code="500103003")
    assert monthly_figures.monthly_figures(creating_unit_ids=[unit.pk], period=date(2025, 6, 1)) == {
        unit.pk: {"project_evaluations": 2}}


def test_api_indicators_are_scoped(tree, api_client_for, unit_a, unit_b):
    p = ProjectFactory()
    ind = IndicatorFactory(project=p)
    assert api_client_for(unit_b).get(f"/api/v1/project-indicators/{ind.pk}/").status_code == 404
    bad = api_client_for(unit_b).post("/api/v1/project-indicators/", {"project": p.pk, "name": "x", "baseline": 1,
                                                                       "target": 2}, format="json")
    assert bad.status_code == 400 and "project" in bad.json()
    ok = api_client_for(unit_a).post("/api/v1/project-indicators/", {"project": p.pk, "name": "覆盖率",
                                                                      "baseline": 40, "target": 90}, format="json")
    assert ok.status_code == 201


@pytest.mark.parametrize("query", ["year=abc", "status=lost", "safety_area=moon", "year=99999"])
def test_bad_search_values_show_the_form_error_not_a_500(tree, client_for, unit_a, query):
    ProjectFactory()
    page = client_for(unit_a).get(f"/projects/?{query}")
    assert page.status_code == 400 and page.context["filter"].errors  # the page, its search form marked
    assert api_client_status(unit_a, query) == 400


def api_client_status(user, query):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/projects/?{query}").status_code
