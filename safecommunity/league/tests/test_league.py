"""The quarterly league table: scores, ranks and changes match a hand computation; the city
sets the weights; Excel and PDF; who may see which table."""

from datetime import timedelta

import pytest

from safecommunity.hazards.choices import Status
from safecommunity.hazards.models import Hazard
from safecommunity.hazards.tests.factories import report
from safecommunity.league.models import Weights
from safecommunity.league.ranking import Row, rank, score
from safecommunity.league.selectors import Quarter, league_table


def test_scores_ranks_and_changes_match_a_hand_computation():
    weights = {"quota": 30, "timeliness": 20, "closure": 20, "obligations": 20, "survey": 10}
    rows = [
        Row("A", "甲", {"quota": 80, "timeliness": 90, "closure": 100, "obligations": 50, "survey": None}),
        Row("B", "乙", {"quota": 100, "timeliness": 60, "closure": 50, "obligations": 75, "survey": 90}),
        Row("C", "丙", {"quota": 60, "timeliness": 100, "closure": 100, "obligations": 100, "survey": None}),
        Row("D", "丁", {"quota": None, "timeliness": None, "closure": None, "obligations": None, "survey": None}),
    ]
    # A: (30·80 + 20·90 + 20·100 + 20·50) / 90 = 7200 / 90 = 80
    # B: (3000 + 1200 + 1000 + 1500 + 900) / 100 = 76
    # C: (1800 + 2000 + 2000 + 2000) / 90 = 7800 / 90 = 86.67
    assert score(rows[0].values, weights) == 80.0
    ranked = rank(rows, weights, previous={"A": 1, "B": 3, "C": 2})
    assert [(r.key, r.score, r.rank, r.change) for r in ranked] == [
        ("C", 86.67, 1, 1), ("A", 80.0, 2, -1), ("B", 76.0, 3, 0), ("D", None, None, None)]


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    rows = rank([Row("A", "", {"closure": 50}), Row("B", "", {"closure": 90}), Row("C", "", {"closure": 50}),
                 Row("E", "", {"closure": 10})], {"closure": 1})
    assert [(r.key, r.rank) for r in rows] == [("B", 1), ("A", 2), ("C", 2), ("E", 4)]


@pytest.mark.django_db
def test_the_city_table_ranks_districts_by_hazards_closed_in_time(city_admin, unit_a, unit_b, client_for):
    Weights.objects.create(quota=0, timeliness=0, closure=1, obligations=0, survey=0)
    quarter = Quarter.current().previous()
    due = quarter.start + timedelta(days=10)
    # 渝中区: two hazards due in the quarter, one closed in time → 50; 沙坪坝区: one, closed → 100
    yz = [report(unit_a), report(unit_a)]
    spb = report(unit_b, code="500106001")
    Hazard.objects.filter(pk__in=[yz[0].pk, spb.pk]).update(deadline=due, status=Status.CLOSED, closed_on=due)
    Hazard.objects.filter(pk=yz[1].pk).update(deadline=due, status=Status.RECTIFYING)
    t = league_table(city_admin, quarter)
    by = {r.key: r for r in t["rows"]}
    assert (by["500106"].score, by["500106"].rank) == (100.0, 1)
    assert (by["500103"].score, by["500103"].rank) == (50.0, 2)
    # last quarter nothing was due: both 100, both first → 渝中区 went down one place
    assert by["500103"].change == -1 and by["500106"].change == 0

    page = client_for(city_admin).get(f"/league/?quarter={quarter.year}-Q{quarter.q}")
    assert page.status_code == 200
    html = page.content.decode().split('id="league-table"')[1]
    assert html.index("沙坪坝区") < html.index("渝中区") and "↓1" in html
    xlsx = client_for(city_admin).get(f"/league/?quarter={quarter.year}-Q{quarter.q}&export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = client_for(city_admin).get(f"/league/?quarter={quarter.year}-Q{quarter.q}&export=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_who_sees_which_table(client_for, city_admin, district_a, unit_a):
    assert client_for(city_admin).get("/league/?district=500103").status_code == 200
    assert client_for(district_a).get("/league/").status_code == 200  # its own townships
    assert client_for(district_a).get("/league/?district=500106").status_code == 404
    assert client_for(unit_a).get("/league/").status_code == 403


@pytest.mark.django_db
def test_the_city_sets_the_weights_and_bad_input_names_the_field(client_for, city_admin, district_a):
    data = {"quota": 40, "timeliness": 20, "closure": 20, "obligations": 20, "survey": 0}
    assert client_for(district_a).get("/league/weights/").status_code == 403
    r = client_for(city_admin).post("/league/weights/", {**data, "quota": 150})
    assert r.status_code == 200 and "quota" in r.context["form"].errors and not Weights.objects.exists()
    r = client_for(city_admin).post("/league/weights/", data)
    assert r.status_code == 302 and Weights.objects.get().quota == 40
