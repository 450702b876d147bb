"""Bad parameters answer 400 (or 404) with a message, never 500: years out of range on the
lists and the API, a month past 9999 on the report board, an empty PATCH, deleting what a report
still refers to, and a NUL character anywhere in a request (PostgreSQL refuses it in any text)."""

import pytest

from safecommunity.reports.tests.conftest import draft, launched, officers, records, submitted  # noqa: F401

pytestmark = pytest.mark.django_db

HUGE = "12345678901234567890"


@pytest.mark.parametrize("url", [
    "/creation/meetings/?year=0", f"/creation/meetings/?year={HUGE}",
    "/creation/transitions/?year=0", f"/creation/transitions/?year={HUGE}",
    "/injuries/nil/?year=0",
])
def test_a_year_out_of_range_on_a_list_is_400_naming_the_field(client_for, city_admin, url):
    response = client_for(city_admin).get(url)
    assert response.status_code == 400
    assert response.context["filter"].errors["year"]
    assert "2100" in response.content.decode()


@pytest.mark.parametrize("url", [
    "/api/v1/meetings/?year=0", "/api/v1/creation/meetings/?year=0", f"/api/v1/creation/transitions/?year={HUGE}",
    "/api/v1/monthly-reports/completeness/?year=0", f"/api/v1/monthly-reports/completeness/?year={HUGE}",
    "/api/v1/monthly-reports/board/?period=9999-12",
])
def test_a_bad_year_or_month_through_the_api_is_400(api_client_for, city_admin, url):
    response = api_client_for(city_admin).get(url)
    assert response.status_code == 400
    body = response.json()
    assert "year" in body or "period" in body


@pytest.mark.parametrize("period", ["9999-12", "0000-01", "2026-13", "x" * 40])
def test_the_report_board_refuses_a_month_it_cannot_show(client_for, city_admin, period):
    response = client_for(city_admin).get(f"/reports/board/?period={period}")
    assert response.status_code == 400 and "2026-03" in response.content.decode()


def test_the_report_board_still_opens(client_for, city_admin):
    assert client_for(city_admin).get("/reports/board/?period=2026-03").status_code == 200
    assert client_for(city_admin).get("/reports/board/").status_code == 200


def test_an_empty_patch_of_a_deadline_changes_nothing(api_client_for, city_admin):
    before = api_client_for(city_admin).get("/api/v1/hazard-deadlines/major/").json()
    response = api_client_for(city_admin).patch("/api/v1/hazard-deadlines/major/", {}, format="json")
    assert response.status_code == 200 and response.json() == before
    response = api_client_for(city_admin).patch("/api/v1/hazard-deadlines/major/", {"days": -1}, format="json")
    assert response.status_code == 400 and "days" in response.json()


def test_deleting_an_officer_a_report_refers_to_is_400(submitted, api_client_for, unit_a):  # noqa: F811
    from safecommunity.reports.models import InformationOfficer

    officer = InformationOfficer.objects.get(org_unit=unit_a.org_unit)
    response = api_client_for(unit_a).delete(f"/api/v1/information-officers/{officer.pk}/")
    assert response.status_code == 400 and response.json()["non_field_errors"]
    assert InformationOfficer.objects.filter(pk=officer.pk).exists()


@pytest.mark.parametrize("method, url, data", [
    ("get", "/orgunits/50%0003/", None),
    ("get", "/api/v1/orgunits/50%0003/", None),
    ("get", "/archive/completeness/50%00103003/", None),
    ("get", "/creation/meetings/?q=a%00b", None),
    ("post", "/api/v1/risk-entries/", '{"org_unit": "50\\u00000103", "name": "x"}'),
])
def test_a_nul_character_is_400_with_a_message(client_for, api_client_for, unit_a, method, url, data):
    if url.startswith("/api/"):
        client = api_client_for(unit_a)
        response = getattr(client, method)(url, data, content_type="application/json") if data else client.get(url)
        assert response.status_code == 400 and "\\0" in response.json()["detail"]
    else:
        response = client_for(unit_a).get(url)
        assert response.status_code == 400 and "\\0" in response.content.decode()
