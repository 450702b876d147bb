"""Scorecard pages, panels, export and API: scoping (other district 404, wrong role 403), bad input."""

import io

import pytest
from openpyxl import load_workbook

from safecommunity.activities.tests.factories import DrillFactory
from safecommunity.scorecard.models import RuleSetting


@pytest.fixture
def data(launched):
    DrillFactory.create_batch(4, code="500103001")
    return launched


def test_unit_worker_sees_its_scorecard_with_links_to_the_records(data, client_for, unit_a2):
    page = client_for(unit_a2).get("/scorecard/units/500103001/?year=2025")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-rule="drills" data-status="met"' in body
    assert "/activities/drills/?unit=500103001&amp;year=2025" in body


@pytest.mark.parametrize("url", ["/scorecard/units/500106001/", "/scorecard/districts/500106/",
                                 "/api/v1/scorecards/500106001/", "/api/v1/district-scorecards/500106/"])
def test_another_district_is_not_found(data, client_for, district_a, url):
    assert client_for(district_a).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/scorecard/units/500103001/", "/scorecard/districts/500103/", "/scorecard/city/",
                                 "/scorecard/rules/", "/scorecard/rules/2025/drills/", "/api/v1/scorecards/",
                                 "/api/v1/district-scorecards/", "/scorecard/"])
def test_wrong_role_is_forbidden(data, client_for, dept_ga, expert, url):
    assert client_for(dept_ga).get(url).status_code == 403
    assert client_for(expert).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/scorecard/city/", "/scorecard/rules/", "/scorecard/districts/500103/"])
def test_a_unit_worker_cannot_open_roll_ups(data, client_for, unit_a, url):
    assert client_for(unit_a).get(url).status_code == 403


def test_sibling_unit_is_not_found(data, client_for, unit_a):
    assert client_for(unit_a).get("/scorecard/units/500103001/").status_code == 404


def test_scorecard_home_sends_each_role_to_its_view(data, client_for, unit_a, district_a, city_admin):
    assert client_for(unit_a).get("/scorecard/")["Location"] == "/scorecard/units/500103003/"
    assert client_for(district_a).get("/scorecard/")["Location"] == "/scorecard/districts/500103/"
    assert client_for(city_admin).get("/scorecard/")["Location"] == "/scorecard/city/"


def test_district_ranking_page_and_export(data, client_for, district_a):
    client = client_for(district_a)
    page = client.get("/scorecard/districts/500103/?year=2025")
    body = page.content.decode()
    assert body.index("七星岗街道") < body.index("解放碑街道")  # 1 rule met ranks first
    assert "小龙坎街道" not in body
    sheet = load_workbook(io.BytesIO(client.get("/scorecard/districts/500103/?year=2025&export=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "代码", "单位", "达标任务数")
    assert [(r[1], r[3]) for r in rows[1:]] == [("500103001", 1), ("500103003", 0)]


def test_city_page_and_unit_export(data, client_for, city_admin):
    client = client_for(city_admin)
    body = client.get("/scorecard/city/?year=2025").content.decode()
    assert 'data-district="500103"' in body and 'data-district="500106"' in body
    sheet = load_workbook(io.BytesIO(client.get("/scorecard/units/500103001/?year=2025&export=xlsx").content)).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    assert rows["每年至少开展4次应急演练"][1:] == (4, 4, "达标")


def test_a_bad_year_gets_a_message_naming_the_field(data, client_for, unit_a):
    page = client_for(unit_a).get("/scorecard/units/500103003/?year=abc", follow=True)
    assert page.status_code == 200
    assert "年度" in " ".join(str(m) for m in page.context["messages"])
    assert client_for(unit_a).get("/api/v1/scorecards/500103003/?year=1800").status_code == 400


def test_city_edits_a_minimum_and_the_unit_page_follows(data, client_for, city_admin):
    client = client_for(city_admin)
    assert client.post("/scorecard/rules/2025/drills/", {"minimum": "5", "is_active": "on"}).status_code == 302
    assert RuleSetting.objects.get(year=2025, key="drills").minimum == 5
    body = client.get("/scorecard/units/500103001/?year=2025").content.decode()
    assert 'data-rule="drills" data-status="not_met"' in body


def test_a_bad_minimum_is_refused_with_the_field_named(data, client_for, city_admin):
    page = client_for(city_admin).post("/scorecard/rules/2025/drills/", {"minimum": "-3"})
    assert page.status_code == 200
    assert page.context["form"].errors["minimum"]
    assert not RuleSetting.objects.exists()
    assert client_for(city_admin).get("/scorecard/rules/2025/nonsense/").status_code == 404


def test_home_panels_by_role(data, client_for, unit_a, district_a, city_admin):
    assert 'id="scorecard-panel"' in client_for(unit_a).get("/").content.decode()
    district_home = client_for(district_a).get("/").content.decode()
    assert 'id="unit-ranking"' in district_home and "七星岗街道" in district_home
    assert 'id="district-ranking"' in client_for(city_admin).get("/").content.decode()


def test_unit_page_shows_its_scorecard(data, client_for, district_a):
    body = client_for(district_a).get("/orgunits/500103001/").content.decode()
    assert 'data-unit="500103001"' in body
    assert 'id="unit-ranking"' in client_for(district_a).get("/orgunits/500103/").content.decode()


def test_api_lists_units_in_scope_ranked(data, api_client_for, district_a):
    rows = api_client_for(district_a).get("/api/v1/scorecards/?year=2025").json()
    assert [r["code"] for r in rows] == ["500103001", "500103003"]
    drills = next(r for r in rows[0]["rules"] if r["key"] == "drills")
    assert (drills["value"], drills["status"]) == (4, "met")
    detail = api_client_for(district_a).get("/api/v1/district-scorecards/500103/?year=2025").json()
    assert detail["district"]["rules"][0]["key"] == "district_standards_training"


def test_api_rule_minimums_are_written_by_the_city_only(data, api_client_for, city_admin, district_a):
    payload = {"year": 2025, "key": "drills", "minimum": 2}
    assert api_client_for(district_a).post("/api/v1/scorecard-rules/", payload).status_code == 403
    assert api_client_for(city_admin).post("/api/v1/scorecard-rules/", payload).status_code == 201
    bad = api_client_for(city_admin).post("/api/v1/scorecard-rules/", {**payload, "key": "nonsense"})
    assert bad.status_code == 400 and "key" in bad.json()
    assert RuleSetting.objects.get().minimum == 2
