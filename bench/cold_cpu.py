"""CPU of a page as a burst of *different* users meets it: each request is one load account's first
visit (its own to-do list, its own scoped figures not yet cached), the way a month-end wave of
users arrives, as opposed to bench/page_cpu.py's warm repeats of one user.

    .venv/bin/python bench/cold_cpu.py [--users 20] [--role unit] [--url /] [--profile]
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
os.environ.setdefault("DATABASE_URL", os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sc_load"))
os.environ.setdefault("REDIS_URL", os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/9"))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("TWO_FACTOR_REQUIRED_ROLES", "")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

PREFIX = {"unit": "load_u_", "district": "load_d_", "city": "load_c_", "department": "load_p_", "expert": "load_e_"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--role", default="unit")
    parser.add_argument("--url", default="/")
    parser.add_argument("--profile", action="store_true", help="profile the first visits")
    parser.add_argument("--profile-second", action="store_true", help="profile the second visits")
    parser.add_argument("--flush", action="store_true", help="empty the cache first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safecommunity.accounts.models import User

    if args.flush:
        cache.clear()
    users = list(User.objects.filter(username__startswith=PREFIX[args.role], role=args.role)
                 .order_by("?")[: args.users])
    client = Client()  # one handler, as in a server process; each user signs in on it in turn
    client.get("/healthz")
    prof = cProfile.Profile() if args.profile else None
    cpu, queries = [], []
    for u in users:
        client.force_login(u)
        c = client
        c0 = time.process_time()
        if prof:
            prof.enable()
        with CaptureQueriesContext(connection) as q:
            resp = c.get(args.url)
        if prof:
            prof.disable()
        assert resp.status_code == 200, resp.status_code
        cpu.append(time.process_time() - c0)
        queries.append(len(q))
    print(f"{args.role} {args.url}: first visit of {len(users)} users: CPU median {statistics.median(cpu) * 1000:.0f} ms, "
          f"mean {statistics.mean(cpu) * 1000:.0f} ms, queries median {statistics.median(queries)}")
    second = []
    prof2 = cProfile.Profile() if args.profile_second else None
    for u in users:
        client.force_login(u)
        c0 = time.process_time()
        if prof2:
            prof2.enable()
        client.get(args.url)
        if prof2:
            prof2.disable()
        second.append(time.process_time() - c0)
    if prof2:
        pstats.Stats(prof2).sort_stats("cumulative").print_stats(70)
    print(f"second visit, CPU median {statistics.median(second) * 1000:.0f} ms")
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
