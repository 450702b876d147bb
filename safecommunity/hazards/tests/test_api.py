"""The API: same scoping, same state rules; a client cannot skip a state."""

from datetime import timedelta

import pytest

from safecommunity.hazards import services
from safecommunity.hazards.choices import Status
from safecommunity.hazards.models import Hazard, RiskEntry
from safecommunity.hazards.tests.factories import photo, report

pytestmark = pytest.mark.django_db

BASE = "/api/v1/hazards/"


def test_list_and_detail_are_scoped(api_client_for, hazard, unit_b, district_a, district_b, expert, dept_ga):
    other = report(unit_b, code="500106001")
    ids = {h["id"] for h in api_client_for(district_a).get(BASE).json()["results"]}
    assert ids == {hazard.pk}
    assert api_client_for(district_b).get(f"{BASE}{hazard.pk}/").status_code == 404
    assert api_client_for(district_b).get(f"{BASE}{other.pk}/").status_code == 200
    assert api_client_for(expert).get(BASE).status_code == 403
    assert api_client_for(dept_ga).get(f"{BASE}{hazard.pk}/").status_code == 200  # fire is in 公安's domain
    assert api_client_for(district_b).get(f"{BASE}{hazard.pk}/steps/").status_code == 404


def test_filters_work_on_the_api(api_client_for, hazard, unit_a, district_a):
    report(unit_a, grade="major")
    results = api_client_for(district_a).get(BASE + "?grade=major").json()["results"]
    assert [h["grade"] for h in results] == ["major"]


def test_report_with_photos(api_client_for, unit_a, dept_ga, expert):
    data = {"org_unit": "500103003", "address": "八一路", "safety_area": "traffic", "description": "路灯损坏",
            "grade": "general", "finder": "刘", "photos": [photo("a.png")]}
    response = api_client_for(unit_a).post(BASE, data, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "reported" and len(body["photos"]) == 1
    assert api_client_for(dept_ga).post(BASE, data, format="multipart").status_code == 403
    assert api_client_for(expert).post(BASE, data, format="multipart").status_code == 403
    assert Hazard.objects.count() == 1


def test_report_bad_input_names_the_field(api_client_for, unit_a):
    client = api_client_for(unit_a)
    data = {"org_unit": "500103003", "address": "八一路", "safety_area": "traffic", "description": "x",
            "grade": "general", "finder": "刘"}
    response = client.post(BASE, {**data, "grade": "huge"}, format="json")
    assert response.status_code == 400 and "grade" in response.json()
    response = client.post(BASE, {**data, "latitude": "29.5"}, format="json")
    assert response.status_code == 400 and "longitude" in response.json()
    response = client.post(BASE, {**data, "org_unit": "500106001"}, format="json")
    assert response.status_code == 400 and "org_unit" in response.json()
    response = client.post(BASE, {**data, "org_unit": "999"}, format="json")
    assert response.status_code == 400 and "org_unit" in response.json()
    assert not Hazard.objects.exists()


def test_the_loop_over_the_api_cannot_skip_a_state(api_client_for, hazard, unit_a, district_a, unit_a2):
    d, u = api_client_for(district_a), api_client_for(unit_a)
    # Not yet assigned: starting, submitting or closing is refused.
    assert u.post(f"{BASE}{hazard.pk}/start/").status_code == 403  # not the responsible unit yet
    response = d.post(f"{BASE}{hazard.pk}/accept/")
    assert response.status_code == 400
    assert u.post(f"{BASE}{hazard.pk}/assign/", {"responsible_unit": "500103003"}).status_code == 403
    response = d.post(f"{BASE}{hazard.pk}/assign/", {"responsible_unit": "500106001"})
    assert response.status_code == 400 and "responsible_unit" in response.json()
    response = d.post(f"{BASE}{hazard.pk}/assign/", {"responsible_unit": "500103003", "department": "GA"})
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    assert response.json()["deadline"] == str(services.local_today() + timedelta(days=15))
    assert api_client_for(unit_a2).post(f"{BASE}{hazard.pk}/start/").status_code == 404
    assert u.post(f"{BASE}{hazard.pk}/start/").json()["status"] == "rectifying"
    assert d.post(f"{BASE}{hazard.pk}/accept/").status_code == 400  # closing without acceptance
    response = u.post(f"{BASE}{hazard.pk}/submit/", {"measures": "已修复"}, format="multipart")
    assert response.status_code == 400 and "photos" in response.json()
    response = u.post(f"{BASE}{hazard.pk}/submit/", {"measures": "已修复", "cost": "88.50", "photos": [photo()]},
                      format="multipart")
    assert response.status_code == 200 and response.json()["status"] == "awaiting"
    assert u.post(f"{BASE}{hazard.pk}/accept/").status_code == 403  # a unit cannot accept its own hazard
    response = d.post(f"{BASE}{hazard.pk}/return/", {})
    assert response.status_code == 400 and "note" in response.json()
    assert d.post(f"{BASE}{hazard.pk}/return/", {"note": "照片不清晰"}).json()["status"] == "rectifying"
    assert u.post(f"{BASE}{hazard.pk}/submit/", {"measures": "补拍照片", "photos": [photo("c.png")]},
                  format="multipart").status_code == 200
    body = d.post(f"{BASE}{hazard.pk}/accept/", {"note": "合格"}).json()
    assert body["status"] == "closed" and body["closed_on"]
    steps = d.get(f"{BASE}{hazard.pk}/steps/").json()
    assert [s["action"] for s in steps] == ["report", "assign", "start", "submit", "return", "submit", "accept"]
    assert d.post(f"{BASE}{hazard.pk}/start/").status_code == 400


def test_supervise_deadline_comment_and_worklist(api_client_for, unit_a, district_a, city_admin, dept_ga):
    major = report(unit_a, grade="major")
    assert api_client_for(district_a).post(f"{BASE}{major.pk}/supervise/", {"supervisor": "李"}).status_code == 403
    response = api_client_for(city_admin).post(f"{BASE}{major.pk}/supervise/", {"supervisor": "张主任"})
    assert response.status_code == 200 and response.json()["is_supervised"]
    assert api_client_for(district_a).post(f"{BASE}{major.pk}/deadline/",
                                           {"deadline": "2099-01-01", "note": "x"}).status_code == 400
    assert api_client_for(dept_ga).post(f"{BASE}{major.pk}/comment/", {"note": "关注"}).status_code == 200
    ids = [h["id"] for h in api_client_for(district_a).get(f"{BASE}worklist/").json()["results"]]
    assert ids == [major.pk]
    assert api_client_for(city_admin).get(f"{BASE}worklist/").json()["count"] == 1


def test_stats_endpoint(api_client_for, hazard, district_a, district_b):
    body = api_client_for(district_a).get(f"{BASE}stats/?by=grade").json()
    assert body["total"]["found"] == 1 and body["rows"][0]["key"] == "general"
    assert api_client_for(district_b).get(f"{BASE}stats/").json()["total"]["found"] == 0
    assert api_client_for(district_a).get(f"{BASE}stats/?by=x").status_code == 400
    assert api_client_for(district_a).get(f"{BASE}stats/?year=abc").status_code == 400


RISK = "/api/v1/risk-entries/"


def test_risk_entries_over_the_api(api_client_for, unit_a, district_b, dept_ga):
    client = api_client_for(unit_a)
    data = {"org_unit": "500103003", "kind": "source", "name": "加油站", "safety_area": "fire",
            "risk_level": "orange", "last_reviewed_on": str(services.local_today()), "latitude": "29.55",
            "longitude": "106.57"}
    response = client.post(RISK, data, format="json")
    assert response.status_code == 400 and "department" in response.json()
    response = client.post(RISK, {**data, "department": "GA"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api_client_for(dept_ga).get(f"{RISK}{pk}/").status_code == 200
    assert api_client_for(dept_ga).post(RISK, {**data, "department": "GA"}, format="json").status_code == 403
    assert api_client_for(district_b).get(f"{RISK}{pk}/").status_code == 404
    assert api_client_for(district_b).delete(f"{RISK}{pk}/").status_code == 404
    assert client.post(RISK, {**data, "department": "GA", "org_unit": "500106001"}, format="json").status_code == 403
    response = client.patch(f"{RISK}{pk}/", {"risk_level": "red"}, format="json")
    assert response.status_code == 200 and response.json()["risk_level"] == "red"
    assert client.delete(f"{RISK}{pk}/").status_code == 204
    assert not RiskEntry.objects.exists()


def test_status_values_are_the_models(hazard):
    assert hazard.status == Status.REPORTED


@pytest.mark.parametrize("path", ["hazards/", "hazards/worklist/", "hazards/stats/", "risk-entries/",
                                  "hazard-deadlines/"])
def test_every_list_endpoint_refuses_experts_and_sysadmins(api_client_for, path, expert, sysadmin, district_a):
    assert api_client_for(district_a).get(f"/api/v1/{path}").status_code == 200
    for user in (expert, sysadmin):
        assert api_client_for(user).get(f"/api/v1/{path}").status_code == 403


def test_default_periods_over_the_api(api_client_for, city_admin, district_a):
    url = "/api/v1/hazard-deadlines/major/"
    assert api_client_for(district_a).get(url).json() == {"grade": "major", "days": 90}
    assert api_client_for(district_a).patch(url, {"days": 30}, format="json").status_code == 403
    response = api_client_for(city_admin).patch(url, {"days": 0}, format="json")
    assert response.status_code == 400 and "days" in response.json()
    assert api_client_for(city_admin).patch(url, {"days": 30}, format="json").json()["days"] == 30


def test_the_list_does_not_query_per_hazard(api_client_for, unit_a, district_a, django_assert_max_num_queries):
    for _i in range(5):
        report(unit_a, photos=[photo("p.png")])
    client = api_client_for(district_a)
    with django_assert_max_num_queries(12):
        body = client.get(BASE).json()
    assert len(body["results"]) == 5 and all(len(h["photos"]) == 1 for h in body["results"])
