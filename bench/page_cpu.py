"""CPU per page of the month-end mix, in-process: the figure that says how many requests a second
the application can serve, and that a busy machine disturbs far less than a load test's latencies.

    .venv/bin/python bench/load_test.py --setup          # once: sc_load with the load accounts
    .venv/bin/python bench/page_cpu.py [--repeat 20] [--profile "home (unit)"]

Each GET of bench/load/locustfile.py's mix is made through Django's test client as one load account
of its role (production-like: DEBUG off, the figures cache on Redis db 9), after one warm-up
request; the table gives the median CPU seconds of this process (the application's own work; the
database server's is not in it), wall time and queries, and the mix's weighted mean, from which
the requests a second two cores could serve follow. --profile prints a cProfile of one step.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")
os.environ.setdefault("DATABASE_URL", os.environ.get("LOAD_DATABASE_URL",
                                                     "postgres://postgres@127.0.0.1:5432/sc_load"))
os.environ.setdefault("REDIS_URL", os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/9"))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("TWO_FACTOR_REQUIRED_ROLES", "")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

# (role, step, url, requests per simulated user cycle): the GETs of locustfile.py, weighted by the
# user classes' weights (unit 20, district 6, city 2, department 1, expert 1) times the tasks' weights.
MIX = [
    ("unit", "home", "/", 20 * 3), ("unit", "to-do list", "/todo/", 20 * 2),
    ("unit", "hazard list (filtered)", "/hazards/?status=reported", 20 * 3),
    ("unit", "hazard form", "/hazards/new/", 20 * 2),
    ("unit", "monthly reports list", "/reports/", 20 * 2), ("unit", "injury records list", "/injuries/", 20),
    ("district", "home", "/", 6 * 3), ("district", "to-do list", "/todo/", 6 * 2),
    ("district", "report status board", "/reports/board/", 6 * 3),
    ("district", "reports awaiting review", "/reports/?status=submitted", 6 * 2),
    ("district", "hazard statistics", "/hazards/stats/", 6 * 2),
    ("district", "injury analysis", "/injuries/analysis/", 6),
    ("district", "hazard list export", "/hazards/?export=xlsx", 6),
    ("district", "scorecard", "/scorecard/", 6),
    ("city", "home", "/", 2 * 3), ("city", "to-do list", "/todo/", 2 * 2),
    ("city", "city report summary", "/reports/city/", 2 * 2), ("city", "city scorecard", "/scorecard/city/", 2 * 2),
    ("city", "injury analysis", "/injuries/analysis/", 2), ("city", "report status board", "/reports/board/", 2),
    ("department", "home", "/", 3), ("department", "department work list", "/hazards/work/", 2),
    ("expert", "home", "/", 3), ("expert", "evaluations", "/evaluation/", 2),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", help="step name with its role in brackets, e.g. 'home (unit)'")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safecommunity.accounts.models import User

    users = {}
    for role, prefix in [("unit", "load_u_500101017"), ("district", "load_d_500101"), ("city", "load_c_0"),
                         ("department", "load_p_"), ("expert", "load_e_0")]:
        users[role] = User.objects.filter(username__startswith=prefix, role=role).order_by("username").first()
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)

    rows, weighted, total_weight = [], 0.0, 0
    for role, step, url, weight in MIX:
        client = clients[role]
        resp = client.get(url, follow=True)  # warm-up: caches as a burst of users would find them
        assert resp.status_code == 200, (role, url, resp.status_code)
        if args.profile == f"{step} ({role})":
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(args.repeat):
                client.get(url, follow=True)
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
            return
        cpu, wall = [], []
        for _ in range(args.repeat):
            reset_queries()
            c0, w0 = time.process_time(), time.perf_counter()
            with CaptureQueriesContext(connection) as q:
                client.get(url, follow=True)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        med = statistics.median(cpu)
        rows.append((role, step, url, weight, med * 1000, statistics.median(wall) * 1000, len(q)))
        weighted += med * weight
        total_weight += weight

    print("| role | step | CPU ms (median) | wall ms | queries | share of mix |")
    print("|---|---|---|---|---|---|")
    for role, step, url, weight, cpu_ms, wall_ms, queries in rows:
        print(f"| {role} | {step} `{url}` | {cpu_ms:.0f} | {wall_ms:.0f} | {queries} | {weight / total_weight:.0%} |")
    mean = weighted / total_weight
    print(f"\nWeighted mean CPU per GET of the mix: {mean * 1000:.1f} ms → at most {2 / mean:.0f} requests/s on two "
          f"idle cores for the application alone (database, Redis and the load generator share them).")


if __name__ == "__main__":
    main()
