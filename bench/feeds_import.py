"""Benchmark: a 100,000-row hospital export (national injury report card layout, .xlsx) is
previewed and imported by a district office (渝中区) on a database holding the whole city's
divisions. Target: preview + import ≤ 15 s, peak memory ≤ 300 MB.

    PYTHONPATH=$PWD .venv/bin/python bench/feeds_import.py [--rows 100000] [--csv | --openpyxl] [--profile OUT]

Uses a throw-away SQLite database in a temporary directory (or DATABASE_URL if set, a fresh
database). The file is generated first, the database set up (migrations, the city's divisions)
in a second process, and preview + import measured in a third, fresh one — as in a web worker,
which never ran the migrations — with the file handed over as Django hands a large upload to a
view (a temporary file on disk). Neither generation nor set-up counts in the peak memory.

The .xlsx is written with XlsxWriter by default: a shared-string table, as Excel, WPS,
LibreOffice and the hospital systems (Apache POI, XlsxWriter) store text. `--openpyxl` writes
the other kind (openpyxl's write-only mode: every string inline, each Chinese character escaped
as &#NNNNN;), about twice as slow to read. `--profile OUT` runs preview + import under cProfile
(setup and migrations excluded) and writes the stats to OUT.
"""

import argparse
import csv
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent



DISTRICTS = {"渝中区": "500103", "渝北区": "500112", "沙坪坝区": "500106"}


def district_file(rows: int):
    """--districts: one hospital's export of cases living in 渝中区, 渝北区, 沙坪坝区 and 江北区 (issue
    16): (rows, truth) from feeds.samples.district_rows, the same every time."""
    sys.path.insert(0, str(ROOT))
    from safecommunity.feeds.samples import district_rows

    with open(next(ROOT.glob("safecommunity/orgunits/data/*.csv")), encoding="utf-8") as fh:
        towns: dict[str, list[str]] = {}
        for r in csv.DictReader(fh):
            if r["district_name"] in DISTRICTS:
                towns.setdefault(r["district_name"], []).append(r["township_name"])
    return district_rows(rows, towns, other_district="江北区", conflicts=("渝北区", "渝中区"))


def generate(path: Path, rows: int, kind: str) -> None:
    sys.path.insert(0, str(ROOT))
    from safecommunity.feeds.samples import HEADERS, row

    if kind == "districts":
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("伤害监测报告卡")
        ws.write_row(0, 0, HEADERS)
        for i, r in enumerate(district_file(rows)[0], start=1):
            ws.write_row(i, 0, r)
        wb.close()
        return

    with open(next(ROOT.glob("safecommunity/orgunits/data/*.csv")), encoding="utf-8") as fh:
        towns = [r["township_name"] for r in csv.DictReader(fh) if r["district_code"] == "500103"]
    rnd = random.Random(7)
    causes = ["跌倒/坠落", "机动车车祸", "刀/锐器伤", "烧烫伤", "动物伤", "钝器伤", "非机动车车祸"]
    places = ["家中", "公路/街道", "学校与公共场所", "贸易和服务场所", "工业和建筑场所"]
    ages = lambda: rnd.choice([f"{rnd.randrange(1, 95)}岁", str(rnd.randrange(1, 95)), "3月", "10天"])  # noqa: E731

    def body():
        for i in range(rows):
            day = date(2025, 1, 1) + timedelta(days=rnd.randrange(330))
            address = (f"重庆市渝中区{rnd.choice(towns)}某路{i % 300}号" if rnd.random() < 0.97
                       else f"四川省成都市某区{i}号")
            r = row(card=f"C{i:08d}", name=f"患者{i}", age=ages(), sex=rnd.choice("男女"), address=address,
                    id_number="", phone=f"138{i:08d}", visit=f"{day:%Y-%m-%d}", occurred=f"{day:%Y/%m/%d} 08:30",
                    cause=rnd.choice(causes), place=rnd.choice(places), activity=rnd.choice(["家务", "步行", "休闲", "工作"]),
                    severity=rnd.choice(["轻", "中", "重"]))
            if i % 500 == 0:
                r[4] = "不详"  # a row with a problem now and then
            yield r

    if kind == "csv":
        with open(path, "w", encoding="gb18030", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            w.writerows(body())
        return
    if kind == "xlsxwriter":
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
        ws = wb.add_worksheet("伤害监测报告卡")
        ws.write_row(0, 0, HEADERS)
        for i, r in enumerate(body(), start=1):
            ws.write_row(i, 0, r)
        wb.close()
        return
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("伤害监测报告卡")
    ws.append(HEADERS)
    for r in body():
        ws.append(r)
    wb.save(path)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv", action="store_true", help="a GB18030 .csv instead of .xlsx")
    parser.add_argument("--openpyxl", action="store_true",
                        help="an .xlsx written by openpyxl (inline strings) instead of XlsxWriter (shared strings)")
    parser.add_argument("--profile", metavar="OUT", help="cProfile preview + import, stats written to OUT")
    parser.add_argument("--districts", action="store_true",
                        help="issue 16: one export of four districts' cases uploaded by three district offices in turn")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--phase", choices=["setup", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    file_kind = "districts" if args.districts else "csv" if args.csv else "openpyxl" if args.openpyxl else "xlsxwriter"
    if args.generate:
        generate(Path(args.generate), args.rows, file_kind)
        return
    suffix = ".csv" if file_kind == "csv" else f"_{file_kind}.xlsx"
    path = Path(tempfile.gettempdir()) / f"feeds_bench_{args.rows}{suffix}"
    if not path.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate", str(path)]
                       + (["--districts"] if args.districts else ["--csv"] if args.csv else
                          ["--openpyxl"] if args.openpyxl else []), check=True)
        print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")

    if args.phase is None:  # set the database up in one process, measure in a fresh one
        tmp = tempfile.mkdtemp(prefix="feeds_bench_")
        env = {**os.environ, "SAFECOMMUNITY_VAR_DIR": os.environ.get("SAFECOMMUNITY_VAR_DIR", tmp)}
        flags = ["--rows", str(args.rows)] + (["--districts"] if args.districts else ["--csv"] if args.csv else
                                              ["--openpyxl"] if args.openpyxl else [])
        subprocess.run([sys.executable, __file__, *flags, "--phase", "setup"], check=True, env=env)
        subprocess.run([sys.executable, __file__, *flags, "--phase", "measure", *(
            ["--profile", args.profile] if args.profile else [])], check=True, env=env)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from safecommunity.accounts.models import User
    from safecommunity.core.models import CodeItem
    from safecommunity.feeds import services
    from safecommunity.injuries.models import InjuryRecord, ReportingSource
    from safecommunity.orgunits.models import OrgUnit

    if args.phase == "setup":
        from django.core.management import call_command

        from safecommunity.orgunits.services import divisions_load

        call_command("migrate", verbosity=0)
        divisions_load()
        district = OrgUnit.objects.get(code="500103")
        User.objects.get_or_create(username="bench_district", defaults={"role": "district", "org_unit": district})
        kind = CodeItem.objects.get(codelist__key="injury_source_kind", code="hospital")
        ReportingSource.objects.get_or_create(org_unit=OrgUnit.objects.get(code="500103003"), name="市第一人民医院",
                                              defaults={"kind": kind})
        for code in DISTRICTS.values():
            district = OrgUnit.objects.get(code=code)
            User.objects.get_or_create(username=f"bench_{code}", defaults={"role": "district", "org_unit": district})
            ReportingSource.objects.get_or_create(org_unit=OrgUnit.objects.filter(parent=district).order_by("code").first(),
                                                  name="重庆医科大学附属第一医院", defaults={"kind": kind})
        return
    if args.districts:
        measure_districts(path, args.rows)
        return

    # measure: a fresh process, like a web worker that never ran migrations; the file arrives as
    # Django hands a large upload to a view (a temporary file on disk, not bytes in memory)
    user = User.objects.get(username="bench_district")
    source = ReportingSource.objects.get(org_unit__code="500103003", name="市第一人民医院")
    uploaded = TemporaryUploadedFile(path.name, "application/octet-stream", path.stat().st_size, None)
    with open(path, "rb") as fh:
        shutil.copyfileobj(fh, uploaded)
    uploaded.seek(0)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    base = rss_mb()
    c0 = time.process_time()
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    upload = services.upload_create(actor=user, source=source, uploaded=uploaded)
    t1 = time.perf_counter()
    upload = services.upload_import(actor=user, upload=upload)
    t2 = time.perf_counter()
    uploaded.close()  # as Django does at the end of the request (the storage moved the file away)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(f"rows read {upload.rows_read}, imported {upload.rows_imported}, problems {upload.rows_problem}, "
          f"to place by hand {upload.rows_unplaced}; records in db {InjuryRecord.objects.count()}")
    print(f"preview {t1 - t0:.1f} s, import {t2 - t1:.1f} s, total {t2 - t0:.1f} s wall "
          f"({time.process_time() - c0:.1f} s CPU of this process; load average {os.getloadavg()[0]:.1f})")
    print(f"peak RSS {rss_mb():.0f} MB (before the upload {base:.0f} MB)")
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"database {django.db.connection.vendor}, file {path.name} ({path.stat().st_size / 1e6:.1f} MB, {file_kind})")


def measure_districts(path: Path, rows: int) -> None:
    """Three district offices upload the same export in turn; each must get exactly the cases
    whose addresses name it (checked against the generator's truth)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safecommunity.accounts.models import User
    from safecommunity.feeds import services
    from safecommunity.injuries.models import InjuryRecord, ReportingSource

    _rows, truth = district_file(rows)
    data = path.read_bytes()
    total = 0.0
    for name, code in DISTRICTS.items():
        user = User.objects.get(username=f"bench_{code}")
        source = ReportingSource.objects.get(org_unit__parent__code=code, name="重庆医科大学附属第一医院")
        t0 = time.perf_counter()
        upload = services.upload_create(actor=user, source=source, uploaded=SimpleUploadedFile(path.name, data))
        upload = services.upload_import(actor=user, upload=upload)
        spent = time.perf_counter() - t0
        total += spent
        mine = {c for c, (d, kind, _x) in truth.items() if d == name and kind == "placed"}
        got = set(InjuryRecord.objects.filter(org_unit__parent__code=code).values_list("feed_case__card_number", flat=True))
        deaths = InjuryRecord.objects.filter(org_unit__parent__code=code, outcome__code="death")
        print(f"{name}: {spent:.1f} s; read {upload.rows_read}, imported {upload.rows_imported} (expected {len(mine)}, "
              f"exactly these: {got == mine}), deaths {deaths.count()} all stored as deaths: "
              f"{not deaths.exclude(severity__code='death').exists()}, flagged {upload.rows_problem}, "
              f"to place by hand {upload.rows_unplaced}, other districts' {sum(n for _d, n in upload.summary['elsewhere'])}")
    print(f"three uploads, preview + import: {total:.1f} s wall ({3 * rows / total:,.0f} rows/s; load average "
          f"{os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
