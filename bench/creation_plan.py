"""Benchmark: the plan page, its Excel export and a three-year view at city scale.

    PYTHONPATH=. .venv/bin/python bench/creation_plan.py

Builds a throw-away test database with the whole of Chongqing (38 districts, 1,031 townships),
300 enterprise/park units, launches about 60% of all units over 2021–2026 with a transition
each, designates a quarter of those, then times each page (median of 5 requests) and counts
its queries. Figures go to bench/results/creation.md by hand.
"""

import os
import platform
import random
import statistics
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run():
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.creation.models import CreationTransition
    from safecommunity.creation.services import plan_year_open
    from safecommunity.orgunits.models import CreatingUnit, OrgUnit
    from safecommunity.orgunits.services import divisions_load, next_unit_code

    rng = random.Random(2026)
    divisions_load()
    city = UserFactory(username="bench_city", role="city", code="500000")
    district = UserFactory(username="bench_district", role="district", code="500106")
    districts = list(OrgUnit.objects.districts())
    for i in range(300):
        d = districts[i % len(districts)]
        kind = "enterprise" if i % 2 else "park"
        ou = OrgUnit.objects.create(code=next_unit_code(d, kind), name=f"单位{i}", level=kind, parent=d)
        CreatingUnit.objects.create(org_unit=ou, kind=kind, workforce=1000)
    units = list(CreatingUnit.objects.all())
    transitions, updated = [], []
    for u in units:
        if rng.random() < 0.6:
            year = rng.randint(2021, 2026)
            day = date(year, rng.randint(1, 10), 1)
            u.status, u.launch_year, u.launched_on = "launched", year, day
            transitions.append(CreationTransition(creating_unit=u, from_status="not_started", to_status="launched",
                                                  actor=city, effective_on=day))
            if rng.random() < 0.25 and year < 2026:
                d2 = date(year + 1, 6, 1)
                u.status = "city"
                transitions.append(CreationTransition(creating_unit=u, from_status="launched", to_status="city",
                                                      actor=city, effective_on=d2, valid_until=date(year + 4, 6, 1)))
            updated.append(u)
    CreatingUnit.objects.bulk_update(updated, ["status", "launch_year", "launched_on"], batch_size=500)
    CreationTransition.objects.bulk_create(transitions, batch_size=1000)
    for year in (2025, 2026):
        plan_year_open(year=year, actor=city)
    print(f"units {len(units)}, launched {len(updated)}, transitions {len(transitions)}")

    rows = []
    for label, user, url in [
        ("plan page, city office", city, "/creation/plans/2026/"),
        ("plan Excel export, city office", city, "/creation/plans/2026/?export=xlsx"),
        ("plan page, district office", district, "/creation/plans/2026/"),
        ("three-year view (沙坪坝区)", city, "/creation/districts/500106/three-year/"),
        ("titles and validity, city office", city, "/creation/titles/"),
        ("status history list, city office", city, "/creation/transitions/"),
        ("district page with plan panel", city, "/orgunits/500106/"),
    ]:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm up
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        rows.append((label, statistics.median(times) * 1000, len(ctx.captured_queries)))
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
          f"{connection.vendor} · {date.today()}")
    print("| page | median ms | queries |\n|---|---|---|")
    for label, ms, q in rows:
        print(f"| {label} | {ms:.0f} | {q} |")


if __name__ == "__main__":
    main()
