"""Load test: the month-end mix of every role against the production set-up on this machine.

    .venv/bin/pip install -e '.[bench]'            # locust
    .venv/bin/python bench/load_test.py --setup    # once: demo data + load accounts in sc_load
    .venv/bin/python bench/load_test.py --users 25 50 100 200 --minutes 3

It starts gunicorn (production settings, -w WORKERS) and a Celery worker on Redis as the README's
production section says, runs locust headless once per user count (users arrive at 10 per second),
and writes per-step p50/p95/p99 and failures to bench/results/load-<date>.md (raw CSV in bench/out/).
The database is PostgreSQL `sc_load` on 127.0.0.1 (LOAD_DATABASE_URL to change it).
"""

import argparse
import csv
import datetime
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV = Path(sys.executable).parent
DB_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sc_load")
PASSWORD = os.environ.get("LOAD_PASSWORD", "Load@2026sc")
PORT = int(os.environ.get("LOAD_PORT", "8099"))


def server_env():
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="safecommunity.settings.production", DATABASE_URL=DB_URL,
        REDIS_URL=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/9"),
        SECRET_KEY="load-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost", SAFECOMMUNITY_VAR_DIR=str(OUT / "load-var"),
        # plain HTTP on loopback: nginx's TLS is not part of what is measured
        SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        # the simulated city users sign in with a password only: enrolling a second factor is not
        # part of the month-end mix
        TWO_FACTOR_REQUIRED_ROLES="",
    )
    return env


def setup():
    env = server_env()
    env["DJANGO_SETTINGS_MODULE"] = "safecommunity.settings.base"
    name = DB_URL.rsplit("/", 1)[1]
    subprocess.run(["psql", DB_URL.rsplit("/", 1)[0] + "/postgres", "-qc", f'CREATE DATABASE "{name}"'],
                   capture_output=True)
    subprocess.run([str(VENV / "safecommunity"), "demo"], env=env, check=True)
    code = f"""
import django; django.setup()
from django.contrib.auth.hashers import make_password
from safecommunity.accounts.models import User
from safecommunity.orgunits.models import OrgUnit, Department, CreatingUnit
hashed = make_password({PASSWORD!r})
rows = []
for cu in CreatingUnit.objects.select_related("org_unit"):
    rows.append(("unit", "load_u_" + cu.org_unit.code, cu.org_unit, None))
for d in OrgUnit.objects.filter(level="district"):
    rows.append(("district", "load_d_" + d.code, d, None))
city = OrgUnit.objects.get(level="city")
rows += [("city", f"load_c_{{i}}", city, None) for i in range(5)]
rows += [("expert", f"load_e_{{i}}", city, None) for i in range(10)]
rows += [("department", "load_p_" + dep.code, None, dep) for dep in Department.objects.all()]
existing = set(User.objects.filter(username__startswith="load_").values_list("username", flat=True))
User.objects.bulk_create([User(username=u, role=r, org_unit=o, department=dep, password=hashed, is_active=True)
                          for r, u, o, dep in rows if u not in existing])
# every unit and district office signs its monthly report through an active information officer
from safecommunity.reports.models import InformationOfficer
staffed = set(InformationOfficer.objects.filter(is_active=True).values_list("org_unit_id", flat=True))
users = dict(User.objects.filter(username__startswith="load_").values_list("username", "pk"))
InformationOfficer.objects.bulk_create([
    InformationOfficer(org_unit=o, name="信息员" + o.code[-3:], user_id=users[u], position="信息员")
    for r, u, o, dep in rows if r in ("unit", "district") and o.pk not in staffed])
with open({str(OUT / 'load_accounts.txt')!r}, "w") as f:
    for r, u, o, dep in rows:
        f.write(f"{{r}} {{u}}\\n")
print(len(rows), "load accounts")
"""
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
    subprocess.run([str(VENV / "safecommunity"), "collectstatic", "--noinput", "-v0"], env=server_env(), check=True)


def wait_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"server did not answer at {url}")


def percentile_rows(stats_csv):
    rows = []
    with open(stats_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append(r)
    return rows


def run(users_list, minutes, workers):
    OUT.mkdir(parents=True, exist_ok=True)
    env = server_env()
    procs = [
        subprocess.Popen([str(VENV / "gunicorn"), "safecommunity.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{PORT}",
                          "--timeout", "120", "--log-level", "warning"], env=env, cwd=ROOT),
        subprocess.Popen([str(VENV / "celery"), "-A", "safecommunity", "worker", "-l", "warning", "-c", "1"],
                         env=env, cwd=ROOT),
    ]
    results = []
    try:
        wait_up(f"http://127.0.0.1:{PORT}/healthz")
        for users in users_list:
            prefix = OUT / f"load-{users}"
            subprocess.run([str(VENV / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"), "--headless",
                            "-u", str(users), "-r", "10", "-t", f"{int(minutes * 60)}s", "--host", f"http://127.0.0.1:{PORT}",
                            "--csv", str(prefix), "--only-summary"],
                           env={**os.environ, "LOAD_ACCOUNTS": str(OUT / "load_accounts.txt"),
                                "LOAD_PASSWORD": PASSWORD}, cwd=ROOT, check=False)
            results.append((users, percentile_rows(f"{prefix}_stats.csv")))
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
    return results


def report(results, minutes, workers):
    today = datetime.date.today().isoformat()
    lines = [f"# Load test {today}", "",
             f"Machine: {platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}; gunicorn -w {workers}, "
             f"1 Celery worker, PostgreSQL and Redis on the same machine; {minutes} min per user count.", ""]
    crossing = None
    for users, rows in results:
        agg = next((r for r in rows if r["Name"] == "Aggregated"), None)
        lines += [f"## {users} concurrent users", "",
                  "| step | requests | failures | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} | "
                         f"{r['99%']} |")
        if agg:
            lines += ["", f"Aggregated: {float(agg['Requests/s']):.1f} req/s, p95 {agg['95%']} ms, "
                          f"{agg['Failure Count']} failures.", ""]
            if crossing is None and float(agg["95%"]) > 1000:
                crossing = users
    lines.append(f"p95 passes 1 s first at: {crossing or 'none of the counts run'} users.")
    path = ROOT / "bench" / "results" / f"load-{today}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(path.read_text(encoding="utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", action="store_true", help="build sc_load: demo data and load accounts")
    parser.add_argument("--users", type=int, nargs="*", default=[25, 50, 100, 200])
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    results = run(args.users, args.minutes, args.workers)
    report(results, args.minutes, args.workers)


if __name__ == "__main__":
    main()
