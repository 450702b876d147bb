"""Benchmark: the city's scorecard roll-up and a district ranking over every township of Chongqing.

    SAFECOMMUNITY_VAR_DIR=/tmp/sc-bench .venv/bin/python bench/scorecard_rollup.py

Builds (once, in its own var dir) the real divisions with every township launched and, per unit,
7 projects with evaluations, 4 events, 4 plans, 2 equipment items, a team, 3–4 drills and a
meeting; then times `city_rollup` and `district_ranking` and counts their queries.
"""

import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SAFECOMMUNITY_VAR_DIR", "/tmp/sc-bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

YEAR = 2025


def build():
    from safecommunity.accounts.services import user_upsert
    from safecommunity.activities.models import (
        Activity,
        Drill,
        EmergencyPlan,
        EmergencyTeam,
        Equipment,
        EventType,
        Meeting,
    )
    from safecommunity.core.models import CodeItem
    from safecommunity.orgunits.models import CreatingUnit
    from safecommunity.orgunits.services import divisions_load
    from safecommunity.projects.models import PhaseEvaluation, Project

    call_command("migrate", verbosity=0)
    if Project.objects.exists():
        return
    divisions_load()
    user_upsert(username="bench_city", role="city", code="500000", password="Bench@2026x", full_name="bench")
    user_upsert(username="bench_district", role="district", code="500103", password="Bench@2026x", full_name="b")
    CreatingUnit.objects.update(status=CreatingUnit.Status.LAUNCHED, launch_year=YEAR - 1)
    area = CodeItem.objects.of("safety_area").first()
    units = list(CreatingUnit.objects.select_related("org_unit"))
    projects, events, plans, equipment, teams, drills, meetings = [], [], [], [], [], [], []
    for i, cu in enumerate(units):
        ou = cu.org_unit
        projects += [Project(org_unit=ou, name=f"p{k}", safety_area=area, target_group="g", problem="p", objective="o",
                             measures="m", start_on=date(YEAR, 1, 1), end_on=date(YEAR, 12, 31),
                             status="in_progress") for k in range(7)]
        events += [Activity(org_unit=ou, kind="training", title=f"e{k}", held_on=date(YEAR, k + 1, 5), audience="a",
                            participants=50, organiser="o") for k in range(4)]
        plans += [EmergencyPlan(org_unit=ou, event_type=t, title="p", version="1", approved_on=date(YEAR, 1, 1))
                  for t in EventType.values]
        equipment += [Equipment(org_unit=ou, name=f"q{k}", location="l") for k in range(2)]
        teams.append(EmergencyTeam(org_unit=ou, name="t", leader="l", established_on=date(YEAR - 1, 1, 1)))
        drills += [Drill(org_unit=ou, title=f"d{k}", event_type="accident", scenario="s", held_on=date(YEAR, k + 2, 9),
                         participants=30) for k in range(3 + i % 2)]
        meetings.append(Meeting(org_unit=ou, kind="year_end_review", title="m", held_on=date(YEAR, 12, 20), minutes="m"))
    for model, rows in ((Project, projects), (Activity, events), (EmergencyPlan, plans), (Equipment, equipment),
                        (EmergencyTeam, teams), (Drill, drills), (Meeting, meetings)):
        model.objects.bulk_create(rows, batch_size=2000)
    evaluations = [PhaseEvaluation(project=p, year=YEAR, half=h, evaluated_on=date(YEAR, 6 * h, 20), progress="x")
                   for p in Project.objects.all() for h in (1, 2) if p.pk % 5 or h == 1]
    PhaseEvaluation.objects.bulk_create(evaluations, batch_size=2000)


def timed(label, fn, repeat=5):
    best, queries = None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        queries = len(ctx.captured_queries)
    print(f"| {label} | {best * 1000:.0f} ms | {queries} |")
    return result


def main():
    build()
    from safecommunity.accounts.models import User
    from safecommunity.orgunits.models import CreatingUnit, OrgUnit
    from safecommunity.scorecard import selectors

    city = User.objects.get(username="bench_city")
    district = User.objects.get(username="bench_district")
    print(f"{CreatingUnit.objects.count()} units, {connection.vendor}, Python {platform.python_version()}, "
          f"{platform.machine()} {os.cpu_count()} CPUs, {date.today()}")
    print("| operation | best of 5 | queries |\n|---|---|---|")
    rows = timed("city roll-up (38 districts, every unit)", lambda: selectors.city_rollup(city, YEAR))
    assert sum(r["units"] for r in rows) == CreatingUnit.objects.count()
    timed("district ranking (渝中区)", lambda: selectors.district_ranking(district, OrgUnit.objects.get(code="500103"),
                                                                      YEAR))
    unit = CreatingUnit.objects.select_related("org_unit").first()
    timed("one unit's scorecard", lambda: selectors.unit_scorecard(unit, YEAR))


if __name__ == "__main__":
    main()
