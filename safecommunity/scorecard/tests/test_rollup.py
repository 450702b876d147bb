"""Roll-up: the district ranks its units by rules met; the city sees districts. Batch queries."""

from datetime import date

import pytest

from safecommunity.activities.tests.factories import DrillFactory, MeetingFactory, TeamFactory
from safecommunity.orgunits.models import CreatingUnit
from safecommunity.scorecard import selectors

LATER = date(2026, 3, 1)


@pytest.fixture
def records(launched):
    DrillFactory.create_batch(4, code="500103001")  # 七星岗: drills met
    MeetingFactory(code="500103001")  # and the review meeting
    TeamFactory(code="500103003")  # 解放碑: a team only
    DrillFactory.create_batch(4, code="500106001")  # 小龙坎 in 沙坪坝区
    return launched


def test_district_ranks_its_units_by_rules_met(records, district_a, tree):
    data = selectors.district_ranking(district_a, tree["500103"], 2025, today=LATER)
    ranked = [(c.org_unit.code, c.met) for c in data["cards"]]
    assert ranked == [("500103001", 2), ("500103003", 1)]
    assert all(c.total == len(data["rules"]) for c in data["cards"])


def test_units_not_in_creation_are_left_out(records, district_a, tree):
    CreatingUnit.objects.filter(org_unit__code="500103003").update(status=CreatingUnit.Status.NOT_STARTED)
    data = selectors.district_ranking(district_a, tree["500103"], 2025, today=LATER)
    assert [c.org_unit.code for c in data["cards"]] == ["500103001"]
    CreatingUnit.objects.filter(org_unit__code="500103001").update(launch_year=2026)  # launched after 2025
    assert selectors.district_ranking(district_a, tree["500103"], 2025, today=LATER)["cards"] == []


def test_city_sees_districts_with_their_counts(records, city_admin):
    rows = {r["district"].code: r for r in selectors.city_rollup(city_admin, 2025, today=LATER)}
    unit_rules = len([r for r in selectors.rules_for(2025) if r.level == "unit"])
    assert (rows["500103"]["units"], rows["500103"]["rules_met"], rows["500103"]["rules_total"]) == (2, 3, 2 * unit_rules)
    assert (rows["500106"]["units"], rows["500106"]["rules_met"]) == (1, 1)
    assert rows["500103"]["compliant"] == 0
    assert rows["500103"]["district_card"].results[0].rule.key == "district_standards_training"


def test_a_district_sees_only_itself_in_the_roll_up(records, district_b):
    rows = selectors.city_rollup(district_b, 2025, today=LATER)
    assert [r["district"].code for r in rows] == ["500106"]


def test_queries_do_not_grow_with_the_number_of_units(launched, city_admin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        selectors.city_rollup(city_admin, 2025, today=LATER)
    CreatingUnit.objects.update(status=CreatingUnit.Status.LAUNCHED)  # all 37 units of both districts
    assert CreatingUnit.objects.filter(status=CreatingUnit.Status.LAUNCHED).count() > 30
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = selectors.city_rollup(city_admin, 2025, today=LATER)
    assert sum(r["units"] for r in rows) > 30
