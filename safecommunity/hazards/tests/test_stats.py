"""Hazard statistics are counted by the database; the figures must be what the rows say."""

import random
from datetime import date, timedelta

import pytest

from safecommunity.hazards.choices import Grade, Status
from safecommunity.hazards.models import Hazard
from safecommunity.hazards.selectors import GROUPINGS, hazard_stats, stats_total

from .factories import report

TODAY = date(2026, 6, 15)


def _expected(user, by, year):
    """The figures worked out row by row, in Python, from what the user may see."""
    groups = {}
    for h in Hazard.objects.visible_to(user).select_related("org_unit", "safety_area"):
        if year and h.found_on.year != year:
            continue
        codes = h.org_unit.path.strip("/").split("/")
        key = {"district": codes[1] if len(codes) > 1 else codes[0], "unit": codes[-1],
               "area": h.safety_area.code, "grade": h.grade, "month": h.found_on.strftime("%Y-%m")}[by]
        g = groups.setdefault(key, {"found": 0, "rectified": 0, "overdue": 0, "closed_late": 0, "days": []})
        g["found"] += 1
        if h.status == Status.CLOSED:
            g["rectified"] += 1
            g["days"].append((h.closed_on - h.found_on).days)
            g["closed_late"] += bool(h.deadline and h.closed_on > h.deadline)
        elif h.deadline and TODAY > h.deadline:
            g["overdue"] += 1
    return {k: (g["found"], g["rectified"], g["overdue"], g["closed_late"],
                round(sum(g["days"]) / len(g["days"]), 1) if g["days"] else None) for k, g in groups.items()}


@pytest.mark.django_db
def test_every_grouping_counts_what_the_rows_say(unit_a, unit_a2, district_a, city_admin):
    rng = random.Random(7)
    for i in range(40):
        actor, code = (unit_a, "500103003") if i % 2 else (unit_a2, "500103001")
        found = date(2025, 1, 1) + timedelta(days=rng.randrange(500))
        h = report(actor, code=code, grade=rng.choice([Grade.GENERAL, Grade.MAJOR]),
                   area_code=rng.choice(["fire", "traffic"]), found_on=min(found, TODAY))
        status = rng.choice([Status.CLOSED, Status.CLOSED, Status.RECTIFYING, Status.REPORTED])
        deadline = h.found_on + timedelta(days=rng.randrange(1, 60)) if rng.random() < 0.8 else None
        closed_on = h.found_on + timedelta(days=rng.randrange(0, 90)) if status == Status.CLOSED else None
        Hazard.objects.filter(pk=h.pk).update(status=status, deadline=deadline, closed_on=closed_on)
    for user in (district_a, city_admin, unit_a):
        for by in GROUPINGS:
            for year in (None, 2025, 2026):
                rows = hazard_stats(user, by=by, year=year, today=TODAY)
                got = {r["key"]: (r["found"], r["rectified"], r["overdue"], r["closed_late"], r["avg_days"])
                       for r in rows}
                assert got == _expected(user, by, year), (user.username, by, year)
                assert stats_total(rows)["found"] == sum(v[0] for v in got.values())
    assert any(r["overdue"] and r["closed_late"] for r in hazard_stats(city_admin, by="district", today=TODAY))
