"""Scale benchmark of the monthly reports (run by hand, never in the test suite).

    PYTHONPATH=$PWD /work/main/.venv/bin/python bench/reports_scale.py [--rebuild]

Builds (once) a PostgreSQL database `sc_reports_bench` with every Chongqing division, ~250
enterprise/park units on top of the 1,031 townships, and 10 years (2016–2025) of monthly reports
for every launched unit (≈150,000 rows, bulk-generated in mixed states), then times:
  - the status board of one month: a district's unit rows, the city's district rows, and the
    city looking at the largest district's unit rows;
  - the completeness/timeliness table of a year: the city's (per district) and a district's;
  - building all units' pre-filled drafts for one month (then removes them again).
Each page is rendered through Django's test client (full view + template), 15 runs, median.
Results are appended to bench/results/reports.md.
"""

import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

DB = "sc_reports_bench"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SAFECOMMUNITY_VAR_DIR", "/tmp/sc_reports_bench_var")

RUNS = 15
YEARS = range(2016, 2026)


def ensure_database(rebuild: bool) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{DB}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB}"')


def generate() -> None:
    from django.core.management import call_command
    from django.db import transaction

    from safecommunity.accounts.services import user_upsert
    from safecommunity.orgunits.models import CreatingUnit, OrgUnit
    from safecommunity.orgunits.services import divisions_load
    from safecommunity.reports.models import MonthlyReport
    from safecommunity.reports.periods import add_months, deadline_at, default_due_on, month_end

    call_command("migrate", interactive=False, verbosity=0)
    if MonthlyReport.objects.count() > 100_000:
        print("data already there:", MonthlyReport.objects.count(), "reports")
        return
    t0 = time.perf_counter()
    divisions_load()
    rng = random.Random(2026)
    districts = list(OrgUnit.objects.districts().order_by("code"))
    with transaction.atomic():
        extra = []
        for d in districts:
            for i in range(rng.randint(7, 12)):
                level = OrgUnit.Level.ENTERPRISE if i % 2 == 0 else OrgUnit.Level.PARK
                code = f"{d.code}9{i:02d}"
                extra.append(OrgUnit(code=code, name=f"{d.name}示范{'企业' if i % 2 == 0 else '园区'}{i + 1}",
                                     level=level, parent=d, path=OrgUnit.build_path(d, code)))
        OrgUnit.objects.bulk_create(extra, ignore_conflicts=True)
        have = set(CreatingUnit.objects.values_list("org_unit_id", flat=True))
        CreatingUnit.objects.bulk_create([
            CreatingUnit(org_unit=u, kind=u.level) for u in OrgUnit.objects.filter(
                level__in=[OrgUnit.Level.ENTERPRISE, OrgUnit.Level.PARK]) if u.pk not in have])
        units = list(CreatingUnit.objects.select_related("org_unit"))
        for cu in units:
            if rng.random() < 0.04:
                continue  # a few never launched
            cu.status = CreatingUnit.Status.LAUNCHED
            cu.launched_on = date(2015, 1, 1) + timedelta(days=rng.randint(0, 700))
            cu.launch_year = cu.launched_on.year
        CreatingUnit.objects.bulk_update(units, ["status", "launched_on", "launch_year"], batch_size=1000)
    user_upsert(username="bench_city", role="city", code="500000", password="Bench@2026sc")
    user_upsert(username="bench_yuzhong", role="district", code="500103", password="Bench@2026sc")
    district_user = {d.pk: user_upsert(username=f"bench_d{d.code}", role="district", code=d.code,
                                       password="Bench@2026sc")[0].pk for d in districts}
    S = MonthlyReport.Status
    launched = [cu for cu in units if cu.status == CreatingUnit.Status.LAUNCHED]
    periods = [date(y, m, 1) for y in YEARS for m in range(1, 13)]
    batch, total = [], 0
    for period in periods:
        due = default_due_on(period)
        deadline = deadline_at(due)
        end = month_end(period)
        for cu in launched:
            if cu.launched_on > end:
                continue
            x = rng.random()
            if x < 0.03:
                continue  # missing
            status = (S.APPROVED if x < 0.88 else S.DISTRICT_APPROVED if x < 0.93 else S.SUBMITTED if x < 0.96
                      else S.RETURNED if x < 0.98 else S.DRAFT)
            first = None if status == S.DRAFT else deadline - timedelta(hours=rng.randint(-200, 700))
            district_id = cu.org_unit.parent_id
            batch.append(MonthlyReport(
                org_unit_id=cu.org_unit_id, district_id=district_id, kind="unit", period=period, status=status,
                is_nil=rng.random() < 0.05, figures={"launched": 1}, work_done="本月工作", version=1 if first else 0,
                first_submitted_at=first, submitted_at=first, last_action_at=first or datetime(2026, 1, 1, tzinfo=UTC),
                last_actor_id=district_user[district_id]))
        for d in districts:
            batch.append(MonthlyReport(
                org_unit_id=d.pk, district_id=d.pk, kind="district", period=period, status=S.APPROVED,
                figures={"launched": 20}, work_done="汇总", version=1, first_submitted_at=deadline,
                submitted_at=deadline, last_action_at=deadline + timedelta(days=3),
                last_actor_id=district_user[d.pk]))
        if len(batch) >= 20_000:
            MonthlyReport.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
        period = add_months(period, 1)
    MonthlyReport.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    from django.db import connection

    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"generated {total} reports for {len(launched)} launched units in {time.perf_counter() - t0:.0f} s")


def median_ms(client, url: str) -> tuple[float, int]:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(times), len(r.content)


def main():
    rebuild = "--rebuild" in sys.argv
    ensure_database(rebuild)
    import django

    django.setup()
    generate()
    from django.test import Client

    from safecommunity.accounts.models import User
    from safecommunity.orgunits.models import CreatingUnit
    from safecommunity.reports.models import MonthlyReport, ReportStep
    from safecommunity.reports.services import monthly_report_drafts_build

    city = Client()
    city.force_login(User.objects.get(username="bench_city"))
    yuzhong = Client()
    yuzhong.force_login(User.objects.get(username="bench_yuzhong"))
    biggest = (CreatingUnit.objects.values("org_unit__parent__code").order_by().annotate(
        n=django.db.models.Count("pk")).order_by("-n").first()["org_unit__parent__code"])
    cases = [
        ("status board, district 渝中区, 2025-06 (unit rows)", yuzhong, "/reports/board/?period=2025-06"),
        ("status board, city, 2025-06 (district rows)", city, "/reports/board/?period=2025-06"),
        (f"status board, city, 2025-06, district {biggest} (unit rows)", city,
         f"/reports/board/?period=2025-06&district={biggest}"),
        ("completeness table, city, year 2025 (per district × month)", city, "/reports/completeness/?year=2025"),
        ("completeness table, district 渝中区, year 2025 (per month)", yuzhong, "/reports/completeness/?year=2025"),
        ("report list, city, first page", city, "/reports/"),
    ]
    results = []
    for label, client, url in cases:
        client.get(url)  # warm up
        ms, size = median_ms(client, url)
        results.append((label, url, ms, size))
        print(f"{ms:8.1f} ms  {label}")
    # drafts for every expected unit of one month that has no report yet
    period = date(2026, 1, 1)
    MonthlyReport.objects.filter(period=period).delete()
    t = time.perf_counter()
    n = monthly_report_drafts_build(period=period)
    drafts_s = time.perf_counter() - t
    print(f"{drafts_s:8.1f} s   drafts built for {n} units")
    ReportStep.objects.filter(report__period=period).delete()
    MonthlyReport.objects.filter(period=period).delete()
    from safecommunity.orgunits.models import OrgUnit
    from safecommunity.reports.periods import due_dates
    from safecommunity.reports.selectors import received_counts_query, year_periods

    periods = year_periods(2025)
    plan = received_counts_query(district_ids=list(OrgUnit.objects.districts().values_list("pk", flat=True)),
                                 periods=periods, dues=due_dates(periods)).explain(analyze=True)
    total = MonthlyReport.objects.count()
    units = CreatingUnit.objects.count()
    write_results(results, drafts_s, n, total, units, plan)


def write_results(results, drafts_s, n, total, units, plan):
    cpu = subprocess.run(["bash", "-c", "lscpu | grep 'Model name' | head -1 | cut -d: -f2"], capture_output=True,
                         text=True).stdout.strip()
    mem = subprocess.run(["bash", "-c", "free -g | awk '/Mem:/ {print $2}'"], capture_output=True,
                         text=True).stdout.strip()
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {cpu}, {os.cpu_count()} cores, {mem} GB RAM, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {pg}; database `{DB}`; load average during the run "
        f"{os.getloadavg()[0]:.1f} (other engineers' test suites share the machine).",
        f"Data: {units} creating units (every Chongqing township + enterprise/park units), {total} monthly "
        f"reports (10 years, 2016–2025, unit reports and district summaries).",
        "",
        f"| page (median of {RUNS} renders through the Django test client) | target | median |",
        "|---|---|---|",
    ]
    for label, url, ms, _size in results:
        target = "≤ 300 ms" if ("status board" in label or "completeness table, city" in label) else "—"
        lines.append(f"| {label} `{url}` | {target} | {ms:.0f} ms |")
    lines += [f"| building all units' pre-filled drafts for 2026-01 ({n} drafts) | ≤ 60 s | {drafts_s:.1f} s |",
              "", "Query plan of the year's completeness read (city):", "", "```", plan, "```", ""]
    out = ROOT / "bench" / "results" / "reports.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    header = "# Monthly reports — scale benchmark\n\nProduced by `bench/reports_scale.py`.\n\n"
    previous = out.read_text(encoding="utf-8") if out.exists() else header
    out.write_text(previous + "\n".join(lines) + "\n", encoding="utf-8")
    print("written", out)


if __name__ == "__main__":
    main()
