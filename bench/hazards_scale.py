"""How the hazards reads and the daily overdue job scale: N hazards spread over every street
of Chongqing, a tenth of them overdue, one unit user per street and one district user per
district. Prints seconds per operation.

    SAFECOMMUNITY_VAR_DIR=/tmp/hz_bench .venv/bin/python bench/hazards_scale.py --hazards 20000
    (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_hazards_bench)
"""

import argparse
import os
import random
import time
from datetime import timedelta


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=20000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.contrib.auth.hashers import make_password
    from django.test import RequestFactory

    from safecommunity.accounts.models import User
    from safecommunity.core.models import CodeItem, Notification
    from safecommunity.hazards import selectors, services
    from safecommunity.hazards.models import Hazard
    from safecommunity.hazards.views import HazardListView
    from safecommunity.orgunits.models import Department, OrgUnit
    from safecommunity.orgunits.services import divisions_load

    divisions_load()
    Notification.objects.filter(key__startswith="hazard-").delete()
    Hazard.objects.all().delete()
    streets = list(OrgUnit.objects.townships())
    districts = list(OrgUnit.objects.districts())
    password = make_password("x")
    User.objects.bulk_create([User(username=f"bench_u_{u.code}", role="unit", org_unit=u, password=password)
                              for u in streets], ignore_conflicts=True)
    User.objects.bulk_create([User(username=f"bench_d_{d.code}", role="district", org_unit=d, password=password)
                              for d in districts], ignore_conflicts=True)
    city = User.objects.get_or_create(username="bench_city", defaults={"role": "city", "password": password})[0]
    dept = User.objects.get_or_create(username="bench_ga", defaults={
        "role": "department", "department": Department.objects.get(code="GA"), "password": password})[0]
    areas = list(CodeItem.objects.of("safety_area"))
    today = services.local_today()
    rng = random.Random(7)
    rows = []
    for i in range(args.hazards):
        unit = rng.choice(streets)
        found = today - timedelta(days=rng.randint(0, 720))
        status = rng.choice(["reported", "assigned", "rectifying", "awaiting", "closed", "closed", "closed"])
        deadline = None if status == "reported" else found + timedelta(days=rng.choice([15, 90]))
        if status != "closed" and status != "reported":
            deadline = today - timedelta(days=3) if i % 10 == 0 else today + timedelta(days=30)
        rows.append(Hazard(org_unit=unit, responsible_unit=unit if deadline else None, address=f"地点 {i}",
                           safety_area=rng.choice(areas), description="bench", grade=rng.choice(["general", "major"]),
                           finder="bench", found_on=found, status=status, deadline=deadline,
                           closed_on=found + timedelta(days=rng.randint(1, 60)) if status == "closed" else None,
                           department=dept.department if i % 3 == 0 else None))
    t = time.perf_counter()
    Hazard.objects.bulk_create(rows, batch_size=2000)
    print(f"bulk insert {args.hazards}: {time.perf_counter() - t:.2f} s")
    district = User.objects.get(username="bench_d_500103")

    def timed(label, fn):
        t0 = time.perf_counter()
        out = fn()
        print(f"{label}: {time.perf_counter() - t0:.3f} s")
        return out

    timed("stats by district (city)", lambda: selectors.hazard_stats(city, by="district"))
    timed("stats by month (city)", lambda: selectors.hazard_stats(city, by="month"))
    timed("stats by area (department)", lambda: selectors.hazard_stats(dept, by="area"))
    timed("work list count (city)", lambda: selectors.hazard_worklist(city).count())
    timed("work list count (department)", lambda: selectors.hazard_worklist(dept).count())

    def page(user, query=""):
        request = RequestFactory().get("/hazards/" + query)
        request.user = user
        response = HazardListView.as_view()(request)
        if hasattr(response, "render"):
            response.render()
        return response

    timed("hazard list page 1 (city)", lambda: page(city))
    timed("hazard list page 1 (district)", lambda: page(district))
    timed("hazard list, overdue filter (city)", lambda: page(city, "?overdue=true"))
    timed("hazard list Excel export (city, all rows)", lambda: page(city, "?export=xlsx"))
    first = timed("daily overdue job, first run", services.hazards_overdue_notify)
    print(f"  {first}")
    second = timed("daily overdue job, next day (nothing new)", services.hazards_overdue_notify)
    print(f"  {second}")


if __name__ == "__main__":
    main()
