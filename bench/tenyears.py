"""Ten years of a city's data on PostgreSQL, and every list, statistics and home page timed on it.

    .venv/bin/python bench/tenyears.py setup [--scale 0.01]   # builds sc_tenyears (drops it first)
    .venv/bin/python bench/tenyears.py time [--repeat 7]      # writes bench/results/tenyears.md

`setup` drops and creates the PostgreSQL database `sc_tenyears` (TENYEARS_DATABASE_URL to change it),
runs `safecommunity demo` (the real divisions of Chongqing, the code lists, demo users and a little
of everything), then grows it to ten years (2017-01 .. today) inside PostgreSQL with
INSERT … SELECT over generate_series: every new row is a copy of one of the demo's own rows of the
same table (so every NOT NULL column and every choice is one the application wrote) with the unit,
the dates and the state rewritten — spread evenly over all 1,033 creating-level units. At scale 1:
10,000,000 injury records, ≈123,000 monthly reports (one per unit and month), 200,000 hazards with
their steps, 10,000 projects, 10,000 activities, 2,000,000 audit rows. It then rebuilds the injury
summary table, ANALYZEs and makes the load accounts bench/load_test.py --setup makes.

`time` GETs the home page and every menu entry of a city, a district and a unit user (core.registry
menu_items, the role's own entries) through Django's test client with DEBUG off, as bench/page_cpu.py
does, and writes the median and p95 wall time and the queries of each page to
bench/results/tenyears.md.
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent
DB_URL = os.environ.get("TENYEARS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sc_tenyears")
PASSWORD = "Load@2026sc"
FIRST = datetime.date(2017, 1, 1)


def log(*args):
    print(*args, flush=True)


def env():
    e = dict(os.environ)
    e.update(DJANGO_SETTINGS_MODULE="safecommunity.settings.base", DATABASE_URL=DB_URL, DEBUG="false",
             TWO_FACTOR_REQUIRED_ROLES="", ALLOWED_HOSTS="testserver,127.0.0.1")
    e.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    return e


def psql(sql, db=None):
    url = db or DB_URL
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


# --- setup ----------------------------------------------------------------------------------------

def columns(table):
    return psql(f"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns "
                f"WHERE table_name = '{table}' AND table_schema = 'public'").split(",")


def clone(table, n, overrides, *, source="", where="", conflict=True):
    """INSERT n rows into `table`, each a copy of a template row t (the table's rows at the start, or
    `source`) with `overrides` {column: SQL expression}; the expressions see s.g (1..n), s.r
    (uniform 0..1), u (a creating-level unit: u.id, u.district_id, u.source_id, u.user_id) and t."""
    cols = [c for c in columns(table) if c != "id"]
    exprs = [overrides.get(c, f"t.{c}") for c in cols]
    tpl = f"tpl_{table}"
    sql = f"""
    CREATE TEMP TABLE {tpl} AS SELECT row_number() OVER (ORDER BY id) AS rn, * FROM {source or table} {where};
    INSERT INTO {table} ({', '.join(cols)})
    SELECT {', '.join(exprs)}
    FROM (SELECT g, random() AS r, 1 + floor(random() * (SELECT count(*) FROM {tpl}))::int AS trn,
                 1 + (g % (SELECT count(*) FROM tu)) AS urn
          FROM generate_series(1, {int(n)}) g) s
    JOIN {tpl} t ON t.rn = s.trn JOIN tu u ON u.rn = s.urn
    {'ON CONFLICT DO NOTHING' if conflict else ''};
    """
    t0 = time.perf_counter()
    psql("SET synchronous_commit = off; CREATE TEMP TABLE tu AS " + UNITS_SQL + ";" + sql)
    log(f"  {table}: +{int(n):,} in {time.perf_counter() - t0:.0f} s")


# the creating-level units with their district, one reporting source and one unit user each
UNITS_SQL = """
SELECT row_number() OVER (ORDER BY o.id) AS rn, o.id, o.parent_id AS district_id,
       (SELECT min(id) FROM injuries_reportingsource rs WHERE rs.org_unit_id = o.id) AS source_id,
       (SELECT min(id) FROM accounts_user au WHERE au.org_unit_id = o.id) AS user_id
FROM orgunits_orgunit o WHERE o.level IN ('township', 'enterprise', 'park')
"""

DAYS = "(CURRENT_DATE - DATE '2017-01-01')"


def day(r="s.r"):
    return f"(DATE '2017-01-01' + floor({r} * {DAYS})::int)"


def cmd_setup(args):
    scale = args.scale
    name = DB_URL.rsplit("/", 1)[1]
    server = DB_URL.rsplit("/", 1)[0] + "/postgres"
    t_start = time.perf_counter()
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server)
    psql(f'CREATE DATABASE "{name}"', server)
    log("demo data …")
    subprocess.run([str(VENV / "safecommunity"), "demo"], env=env(), check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    log(f"demo ready in {time.perf_counter() - t_start:.0f} s; load accounts …")
    accounts()
    # one reporting source per creating-level unit (the demo has them for two districts)
    psql("""
    INSERT INTO injuries_reportingsource (created_at, updated_at, created_by_id, org_unit_id, name, kind_id, contact,
                                          is_active)
    SELECT now(), now(), NULL, o.id, o.name || '卫生院', k.kind_id, '', true
    FROM orgunits_orgunit o, (SELECT kind_id FROM injuries_reportingsource LIMIT 1) k
    WHERE o.level IN ('township', 'enterprise', 'park')
      AND NOT EXISTS (SELECT 1 FROM injuries_reportingsource rs WHERE rs.org_unit_id = o.id)""")
    log(f"bulk at scale {scale} …")
    ts = f"({day()} + make_interval(mins => floor(s.r * 1000)::int))::timestamptz"

    # injury records: the demo's records give the mix of areas, mechanisms, severities, ages
    clone("injuries_injuryrecord", 10_000_000 * scale, {
        "org_unit_id": "u.id", "source_id": "u.source_id", "occurred_on": day(), "created_at": ts,
        "updated_at": ts, "created_by_id": "NULL", "import_batch_id": "NULL"}, conflict=False)

    # hazards: old ones closed, the last months in every state of the loop
    status = ("(CASE WHEN s.r < 0.97 THEN 'closed' ELSE (ARRAY['reported','assigned','rectifying','awaiting'])"
              "[1 + (s.g % 4)] END)")
    clone("hazards_hazard", 200_000 * scale, {
        "org_unit_id": "u.id", "found_on": day("sqrt(s.r)"), "created_at": f"{day('sqrt(s.r)')}::timestamptz",
        "updated_at": f"{day('sqrt(s.r)')}::timestamptz", "status": status,
        "deadline": f"{day('sqrt(s.r)')} + 30",
        "closed_on": f"CASE WHEN {status} = 'closed' THEN {day('sqrt(s.r)')} + 20 END",
        "closed_at": f"CASE WHEN {status} = 'closed' THEN ({day('sqrt(s.r)')} + 20)::timestamptz END",
        "assigned_at": f"CASE WHEN {status} <> 'reported' THEN {day('sqrt(s.r)')}::timestamptz END",
        "responsible_unit_id": "u.id", "created_by_id": "u.user_id",
        "is_supervised": "(s.g % 50 = 0)", "supervised_at": "NULL"})
    # steps: report, then assign/start/submit/accept as far as the hazard got
    psql("""
    SET synchronous_commit = off;
    INSERT INTO hazards_hazardstep (at, cost, actor_id, hazard_id, note, action, from_status, to_status, measures)
    SELECT h.created_at + make_interval(days => st.n * 4), NULL, h.created_by_id, h.id, '', st.action,
           st.from_s, st.to_s, ''
    FROM hazards_hazard h
    JOIN (VALUES (0, 'report', '', 'reported'), (1, 'assign', 'reported', 'assigned'),
                 (2, 'start', 'assigned', 'rectifying'), (3, 'submit', 'rectifying', 'awaiting'),
                 (4, 'accept', 'awaiting', 'closed')) st(n, action, from_s, to_s)
      ON st.n <= array_position(ARRAY['reported','assigned','rectifying','awaiting','closed'], h.status) - 1
    WHERE NOT EXISTS (SELECT 1 FROM hazards_hazardstep x WHERE x.hazard_id = h.id)""")
    log("  hazards_hazardstep: done")

    # monthly reports: one per unit and month over ten years (scale: a share of the units)
    months = "(SELECT generate_series(DATE '2017-01-01', date_trunc('month', CURRENT_DATE)::date - 1, " \
             "interval '1 month')::date AS period)"
    units_share = max(1, round(1 / scale)) if scale < 1 else 1
    psql(f"""
    SET synchronous_commit = off;
    CREATE TEMP TABLE tu AS {UNITS_SQL};
    CREATE TEMP TABLE tpl AS SELECT row_number() OVER (ORDER BY id) rn, * FROM reports_monthlyreport
      WHERE kind = 'unit' AND status = 'approved';
    INSERT INTO reports_monthlyreport ({', '.join(c for c in columns('reports_monthlyreport') if c != 'id')})
    SELECT {', '.join({'org_unit_id': 'u.id', 'district_id': 'u.district_id', 'period': 'm.period',
                        'status': "(CASE WHEN m.period >= date_trunc('month', CURRENT_DATE) - interval '1 month' "
                                  "THEN 'submitted' ELSE 'approved' END)",
                        'created_at': "m.period + interval '32 days'", 'updated_at': "m.period + interval '35 days'",
                        'submitted_at': "m.period + interval '33 days'",
                        'first_submitted_at': "m.period + interval '33 days'",
                        'last_action_at': "m.period + interval '35 days'",
                        'figures_built_at': "m.period + interval '33 days'",
                        'submitted_by_id': 'u.user_id', 'last_actor_id': 'NULL', 'created_by_id': 'u.user_id',
                        'signed_by_id': 'NULL'}.get(c, 't.' + c)
                       for c in columns('reports_monthlyreport') if c != 'id')}
    FROM tu u CROSS JOIN {months} m
    JOIN tpl t ON t.rn = 1 + ((u.rn + extract(month FROM m.period)::int) % (SELECT count(*) FROM tpl))
    WHERE u.rn % {units_share} = 0
    ON CONFLICT DO NOTHING""")
    log("  reports_monthlyreport: done")

    clone("projects_project", 10_000 * scale, {
        "org_unit_id": "u.id", "start_on": day(), "end_on": f"{day()} + 365", "created_at": f"{day()}::timestamptz",
        "updated_at": f"{day()}::timestamptz", "created_by_id": "u.user_id",
        "name": "t.name || ' ' || s.g"}, conflict=False)
    clone("activities_activity", 10_000 * scale, {
        "org_unit_id": "u.id", "held_on": day(), "created_at": f"{day()}::timestamptz",
        "updated_at": f"{day()}::timestamptz", "created_by_id": "u.user_id"}, conflict=False)
    clone("auditlog_logentry", 2_000_000 * scale, {"timestamp": ts}, conflict=False)

    log("injury summary table …")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import django; django.setup(); "
                    "from safecommunity.injuries.services import stats_rebuild; print(stats_rebuild(), 'rows')"],
                   env=env(), check=True, cwd=ROOT)
    log(f"  in {time.perf_counter() - t0:.0f} s; ANALYZE …")
    psql("VACUUM ANALYZE")
    for table in ("injuries_injuryrecord", "reports_monthlyreport", "hazards_hazard", "hazards_hazardstep",
                  "projects_project", "activities_activity", "auditlog_logentry", "injuries_injurystat"):
        log(f"  {table}: {int(psql(f'SELECT count(*) FROM {table}')):,}")
    log(f"setup in {time.perf_counter() - t_start:.0f} s")


def accounts():
    code = f"""
import django; django.setup()
from django.contrib.auth.hashers import make_password
from safecommunity.accounts.models import User
from safecommunity.orgunits.models import OrgUnit
hashed = make_password({PASSWORD!r})
rows = [("unit", "load_u_" + o.code, o) for o in OrgUnit.objects.filter(level__in=("township", "enterprise", "park"))]
rows += [("district", "load_d_" + d.code, d) for d in OrgUnit.objects.filter(level="district")]
city = OrgUnit.objects.get(level="city")
rows += [("city", f"load_c_{{i}}", city) for i in range(5)]
User.objects.bulk_create([User(username=u, role=r, org_unit=o, password=hashed, is_active=True) for r, u, o in rows],
                         ignore_conflicts=True)
print(len(rows), "load accounts")
"""
    subprocess.run([sys.executable, "-c", code], env=env(), check=True, cwd=ROOT)


# --- time -----------------------------------------------------------------------------------------

USERS = [("city", "load_c_0"), ("district", "load_d_500103"), ("unit", "load_u_500103001")]


def cmd_time(args):
    os.environ.update({k: v for k, v in env().items() if k not in os.environ or k == "DATABASE_URL"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safecommunity.accounts.models import User
    from safecommunity.core.registry import menu_items

    rows = []
    only = set(args.only or [])
    for role, username in USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        urls = [("home", "/")] + [(str(i.label), i.url) for i in menu_items() if i.allowed(user) and i.url != "#"]
        seen = set()
        for label, url in urls:
            if url in seen or (only and url not in only):
                continue
            seen.add(url)
            resp = client.get(url, follow=True)
            if resp.status_code != 200:
                rows.append((role, label, url, resp.status_code, 0, 0, 0))
                continue
            wall = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                with CaptureQueriesContext(connection) as q:
                    client.get(url, follow=True)
                wall.append((time.perf_counter() - t0) * 1000)
            wall.sort()
            p95 = wall[min(len(wall) - 1, round(0.95 * (len(wall) - 1)))]
            rows.append((role, label, url, 200, statistics.median(wall), p95, len(q)))
            log(f"{role:8} {statistics.median(wall):7.0f} ms {len(q):4} q  {url}")
    load = os.getloadavg()
    lines = ["| role | page | status | median ms | p95 ms | queries | ≤ 300 ms |", "|---|---|---|---|---|---|---|"]
    for role, label, url, status, med, p95, nq in rows:
        ok = "yes" if status == 200 and med <= 300 else "**no**"
        lines.append(f"| {role} | {label} `{url}` | {status} | {med:.0f} | {p95:.0f} | {nq} | {ok} |")
    head = (f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}, {os.cpu_count()} CPUs, "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (the machine is shared with other agents' "
            f"tests and builds: read the figures as upper bounds), {args.repeat} GETs per page after one warm-up, "
            f"database {connection.settings_dict['NAME']}, DEBUG off, figures cache on Redis db 7.")
    table = "\n".join(lines)
    print("\n" + head + "\n\n" + table)
    if args.out:
        Path(args.out).write_text(head + "\n\n" + table + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--scale", type=float, default=1.0)
    t = sub.add_parser("time")
    t.add_argument("--repeat", type=int, default=7)
    t.add_argument("--only", nargs="*", help="only these URLs")
    t.add_argument("--out", help="write the table to this file too")
    args = parser.parse_args()
    {"setup": cmd_setup, "time": cmd_time}[args.cmd](args)


if __name__ == "__main__":
    main()
