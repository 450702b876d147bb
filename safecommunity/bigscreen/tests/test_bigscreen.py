"""The big screen: who sees which, and the figures it shows come from the apps' selectors."""

import pytest

from safecommunity.hazards.tests.factories import report

pytestmark = pytest.mark.django_db


def test_the_city_sees_the_city_and_any_district(client_for, city_admin):
    client = client_for(city_admin)
    assert client.get("/bigscreen/").status_code == 200
    assert client.get("/bigscreen/500103/").status_code == 200
    assert client.get("/bigscreen/999999/").status_code == 404


def test_a_district_sees_its_own_and_no_other(client_for, district_a, unit_a):
    assert client_for(district_a).get("/bigscreen/").status_code == 200
    assert client_for(district_a).get("/bigscreen/500103/").status_code == 200
    assert client_for(district_a).get("/bigscreen/500106/").status_code == 404
    assert client_for(district_a).get("/bigscreen/500106/data.json").status_code == 404
    assert client_for(unit_a).get("/bigscreen/").status_code == 403


def test_the_figures_are_the_hazard_registers(client_for, city_admin, unit_a, unit_b):
    report(unit_a)
    report(unit_a)
    report(unit_b, code="500106001")
    city = client_for(city_admin).get("/bigscreen/data.json").json()
    assert city["hazards"]["open"] == 3 and city["hazards"]["found_month"] == 3
    yz = client_for(city_admin).get("/bigscreen/500103/data.json").json()
    assert yz["hazards"]["open"] == 2
    assert {d["code"] for d in yz["map"]} >= {"500103", "500106"}
    assert set(yz) >= {"reports", "injury_trend", "units", "events", "updated"}
    assert len(yz["events"]) == 2


def test_the_page_has_no_menu_and_nothing_from_elsewhere(client_for, city_admin):
    html = client_for(city_admin).get("/bigscreen/").content.decode()
    assert "sc-sidebar" not in html and "http://" not in html and "https://" not in html


def test_the_figures_are_kept_between_refreshes_and_follow_a_write_at_once(settings, client_for, city_admin,
                                                                            unit_a):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    client = client_for(city_admin)
    report(unit_a)
    assert client.get("/bigscreen/data.json").json()["hazards"]["open"] == 1
    with CaptureQueriesContext(connection) as kept:
        again = client.get("/bigscreen/data.json").json()
    assert again["hazards"]["open"] == 1
    assert not any("hazards_hazard" in q["sql"] for q in kept.captured_queries)  # one computation for many screens
    report(unit_a)
    assert client.get("/bigscreen/data.json").json()["hazards"]["open"] == 2  # the write shows at once
