"""Scale benchmark of injury surveillance (run by hand; never a test).

    export PYTHONPATH=$PWD DEBUG=0
    # SQLite
    DATABASE_URL=sqlite:////tmp/sc_injuries_bench.sqlite3 python bench/injuries_bench.py setup --records 1000000
    DATABASE_URL=sqlite:////tmp/sc_injuries_bench.sqlite3 python bench/injuries_bench.py import --rows 100000
    DATABASE_URL=sqlite:////tmp/sc_injuries_bench.sqlite3 python bench/injuries_bench.py pages --runs 15
    # PostgreSQL (its own database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_injuries_bench python bench/injuries_bench.py setup …

`setup`   migrates, loads every division of Chongqing, gives every creating-level unit a
          reporting source and five years of population, generates N records over five years
          (realistic mix: generate.AREAS) with COPY (PostgreSQL) or executemany (SQLite), and
          builds the summary table.
`import`  writes an N-row .xlsx (cached in /tmp; `--writer excel`, the default, stores text in a
          shared-string table as Excel saves it, `--writer openpyxl` inline as openpyxl does),
          then in a fresh process imports it end to end through services.import_start (store,
          checksum, calamine, checks, insert, summary), reports rows/s and peak RSS, and removes
          the imported rows again (PostgreSQL: then VACUUM ANALYZE of the record table).
          Run `import` only once the file exists, or note that the first run's peak RSS includes
          the generation (Linux keeps the parent's peak across exec).
`import --rows 1000000 --worker [--kill]`
          the same through a Celery worker (`celery -A safecommunity worker -c 1`, Redis db 4 —
          BENCH_REDIS_URL —, files under /tmp/injuries_bench_media): a second process uploads the
          file with services.import_start, which queues the task; the worker's processes' peak RSS
          (VmHWM from /proc) and the progress are sampled every half second. `--kill`: kill -9 of
          the worker's process group once half the rows are checked, then the batch's rows are
          counted. A file of more than 200,000 rows is written by a streaming writer of our own
          (shared strings, as Excel saves it; XlsxWriter would hold every cell until it saves).
`ie`      the same file through django-import-export (installed with `pip install --target`
          into /tmp/ie_pkgs, outside the project's virtualenv).
`pages`   medians of the city and district analysis pages (Django test client, signed in), the
          same pages computed from the records instead of the summary table, and the raw SQL
          GROUP BY floor on the same database.
"""

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

XLSX = "/tmp/injuries_bench_{rows}_{writer}.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEARS = 5
DISTRICT = "500103"


def log(*args):
    print(*args, flush=True)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def db_label() -> str:
    return f"{connection.vendor} {connection.settings_dict.get('NAME')}"


# --- setup --------------------------------------------------------------------------------------

RECORD_COLUMNS = ["org_unit_id", "place_detail", "occurred_on", "occurred_time", "age", "age_band", "sex",
                  "safety_area_id", "place_id", "activity_id", "mechanism_id", "intent_id", "nature_id",
                  "body_part_id", "severity_id", "outcome_id", "source_id", "name_cipher", "id_number_cipher",
                  "phone_cipher", "created_at", "updated_at"]


def record_rows(n, units, sources, weights, first_year, today, seed=1):
    from safecommunity.injuries import choices
    from safecommunity.injuries.generate import AREAS, MONTH_WEIGHT, OUTCOME_BY_SEVERITY, SEVERITY, Codes

    rng = random.Random(seed)
    codes = Codes()
    areas = list(AREAS)
    area_w = [AREAS[a][0] for a in areas]
    area_ids = {a: codes(choices.SAFETY_AREA, a) for a in areas}
    mech = {a: ([codes(choices.MECHANISM, m) for m in AREAS[a][2]], list(AREAS[a][2].values())) for a in areas}
    place = {a: codes(choices.PLACE, AREAS[a][3]) for a in areas}
    activity = {a: codes(choices.ACTIVITY, AREAS[a][4]) for a in areas}
    sev_ids = [codes(choices.SEVERITY, s) for s, _w in SEVERITY]
    sev_w = [w for _s, w in SEVERITY]
    out_ids = [codes(choices.OUTCOME, OUTCOME_BY_SEVERITY[s]) for s, _w in SEVERITY]
    unint, assault = codes(choices.INTENT, "unintentional"), codes(choices.INTENT, "assault")
    natures = list(codes.by[choices.NATURE].values())
    parts = list(codes.by[choices.BODY_PART].values())
    band = [choices.age_band(a) for a in range(121)]
    stamp = datetime.now(UTC)
    days = [(date(first_year + y, 1, 1) + timedelta(days=d)) for y in range(YEARS) for d in range(365)]
    day_w = [MONTH_WEIGHT[d.month - 1] for d in days]
    days_w = [(d, w) for d, w in zip(days, day_w, strict=True) if d <= today]
    days, day_w = [d for d, _w in days_w], [w for _d, w in days_w]
    chosen_units = rng.choices(units, weights=weights, k=n)
    chosen_areas = rng.choices(areas, weights=area_w, k=n)
    chosen_days = rng.choices(days, weights=day_w, k=n)
    chosen_sev = rng.choices(range(len(sev_ids)), weights=sev_w, k=n)
    for i in range(n):
        a = chosen_areas[i]
        lo, hi = AREAS[a][1]
        age = rng.randint(lo, hi)
        s = chosen_sev[i]
        u = chosen_units[i]
        yield (u, "", chosen_days[i], dtime(rng.randrange(24), rng.randrange(60)), age, band[age],
               "M" if rng.random() < 0.55 else "F", area_ids[a], place[a], activity[a],
               rng.choices(*mech[a])[0], assault if a == "public_security" else unint, rng.choice(natures),
               rng.choice(parts), sev_ids[s], out_ids[s], sources[u], "", "", "", stamp, stamp)


def insert_records(rows, total):
    table = "injuries_injuryrecord"
    cols = ", ".join(RECORD_COLUMNS)
    done = 0
    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        # Start the generator before COPY: its set-up queries cannot run while COPY holds the connection.
        rows = iter(rows)
        first = next(rows)
        with connection.cursor() as c, c.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            copy.write_row(first)
            done = 1
            for row in rows:
                copy.write_row(row)
                done += 1
                if done % 200000 == 0:
                    log(f"  {done:,} rows ({time.perf_counter() - t0:.0f} s)")
    else:
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(RECORD_COLUMNS))})"
        chunk = []
        ops = connection.ops
        with connection.cursor() as c:
            for row in rows:
                row = list(row)
                row[2] = row[2].isoformat()
                row[3] = ops.adapt_timefield_value(row[3])
                row[20] = row[21] = ops.adapt_datetimefield_value(row[20])
                chunk.append(row)
                if len(chunk) == 50000:
                    c.executemany(sql, chunk)
                    done += len(chunk)
                    chunk = []
                    if done % 200000 == 0:
                        log(f"  {done:,} rows ({time.perf_counter() - t0:.0f} s)")
            if chunk:
                c.executemany(sql, chunk)
                done += len(chunk)
    return done


def cmd_setup(args):
    from django.core.management import call_command

    from safecommunity.core.models import CodeItem
    from safecommunity.injuries import choices
    from safecommunity.injuries.generate import population_objects
    from safecommunity.injuries.models import (
        InjuryRecord,
        InjuryStat,
        Population,
        PopulationCount,
        ReportingSource,
    )
    from safecommunity.injuries.services import stats_rebuild
    from safecommunity.orgunits.models import OrgUnit
    from safecommunity.orgunits.services import divisions_load

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    divisions_load()
    units = list(OrgUnit.objects.filter(level__in=("township", "enterprise", "park")).order_by("code"))
    log(f"[{db_label()}] {len(units)} creating-level units; migrate + divisions {time.perf_counter() - t0:.1f} s")
    today = date.today()
    first_year = today.year - YEARS + 1
    rng = random.Random(7)
    with transaction.atomic():
        # Raw deletes: no per-row signals (the audit log would record every deleted row).
        for model in (InjuryStat, InjuryRecord, PopulationCount, Population, ReportingSource):
            model.objects.all()._raw_delete(connection.alias)
        kind = CodeItem.objects.get(codelist__key=choices.SOURCE_KIND, code="hospital")
        ReportingSource.objects.bulk_create([ReportingSource(org_unit=u, name=f"{u.name}卫生院", kind=kind) for u in units])
        sources = dict(ReportingSource.objects.values_list("org_unit_id", "id"))
        pops, counts, weights = [], [], []
        for u in units:
            base = rng.randint(15000, 120000)
            weights.append(base)
            for y in range(first_year, today.year + 1):
                p, cs = population_objects(u, y, int(base * (1 + 0.01 * (y - first_year))))
                pops.append(p)
                counts.append(cs)
        Population.objects.bulk_create(pops, batch_size=5000)
        cells = []
        for p, cs in zip(pops, counts, strict=True):
            for c in cs:
                c.population_id = p.pk
                cells.append(c)
        PopulationCount.objects.bulk_create(cells, batch_size=10000)
    log(f"populations: {len(pops):,} unit-years, {len(cells):,} cells")
    t1 = time.perf_counter()
    with transaction.atomic():
        n = insert_records(record_rows(args.records, [u.pk for u in units], sources, weights, first_year, today),
                           args.records)
    t2 = time.perf_counter()
    log(f"records: {n:,} in {t2 - t1:.1f} s ({n / (t2 - t1):,.0f} rows/s)")
    rows = stats_rebuild()
    t3 = time.perf_counter()
    log(f"summary table: {rows:,} rows in {t3 - t2:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")
    log(f"setup total {time.perf_counter() - t0:.1f} s")


# --- import -------------------------------------------------------------------------------------

class _SharedStringSheet:
    """Rows written with XlsxWriter: text in a shared-string table, as Excel, WPS and
    LibreOffice save a workbook (openpyxl writes every string inline, each Chinese character
    escaped as &#NNNNN; — a sheet twice as slow to read, which no spreadsheet program produces)."""

    def __init__(self, path):
        import xlsxwriter

        self.book = xlsxwriter.Workbook(path)
        self.sheet = self.book.add_worksheet()
        self.row = 0

    def append(self, values):
        self.sheet.write_row(self.row, 0, values)
        self.row += 1

    def save(self, _path):
        self.book.close()


class _StreamedSharedStrings:
    """The same kind of file for a million rows: XlsxWriter keeps every cell until it saves when
    it writes a shared-string table (gigabytes for a million rows; its constant-memory mode writes
    text inline). Here the sheet's XML goes to a temporary file row by row, the distinct strings
    to a dict, and both into the zip at the end, with the parts a spreadsheet program writes."""

    PARTS = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>',
    }

    def __init__(self, path, rows: int, columns: int):
        import tempfile

        self.path, self.strings, self.row = path, {}, 0
        self.body = tempfile.TemporaryFile("w+", encoding="utf-8")
        from xlsxwriter.utility import xl_col_to_name

        self.letters = [xl_col_to_name(i) for i in range(columns)]
        self.dimension = f"A1:{self.letters[-1]}{rows + 1}"

    def append(self, values):
        from xml.sax.saxutils import escape

        self.row += 1
        r, cells = self.row, []
        for letter, v in zip(self.letters, values, strict=False):
            if v is None or v == "":
                continue
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{letter}{r}"><v>{v}</v></c>')
            else:
                i = self.strings.setdefault(escape(str(v)), len(self.strings))
                cells.append(f'<c r="{letter}{r}" t="s"><v>{i}</v></c>')
        self.body.write(f'<row r="{r}">{"".join(cells)}</row>')

    def save(self, _path):
        import shutil
        import zipfile

        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, xml in self.PARTS.items():
                zf.writestr(name, xml)
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{main}">'
                          f'<dimension ref="{self.dimension}"/><sheetData>'.encode())
                self.body.flush()
                with open(self.body.fileno(), "rb", closefd=False) as raw:
                    raw.seek(0)
                    shutil.copyfileobj(raw, out, 1 << 20)
                out.write(b"</sheetData></worksheet>")
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{main}" '
                          f'count="{len(self.strings)}" uniqueCount="{len(self.strings)}">'.encode())
                for text in self.strings:  # in the order first met: their indexes
                    out.write(f"<si><t>{text}</t></si>".encode())
                out.write(b"</sst>")
        self.body.close()


def ensure_file(rows: int, writer: str = "excel") -> str:
    """The N-row file: `writer` "excel" (shared strings, as a spreadsheet program saves it) or
    "openpyxl" (inline strings, as openpyxl's write-only mode and our own exports write it)."""
    path = XLSX.format(rows=rows, writer=writer)
    if os.path.exists(path):
        return path
    from openpyxl import Workbook

    from safecommunity.core.models import CodeItem
    from safecommunity.injuries import choices, importer
    from safecommunity.injuries.generate import AREAS, OUTCOME_BY_SEVERITY, SEVERITY
    from safecommunity.injuries.models import ReportingSource
    from safecommunity.orgunits.models import OrgUnit

    district = OrgUnit.objects.get(code=DISTRICT)
    units = list(OrgUnit.objects.under(district.path).filter(level__in=("township", "enterprise", "park")))
    source_of = dict(ReportingSource.objects.filter(org_unit__in=units).values_list("org_unit__code", "name"))
    name = {key: dict(CodeItem.objects.of(key).values_list("code", "name")) for key in (
        choices.SAFETY_AREA, choices.MECHANISM, choices.PLACE, choices.ACTIVITY, choices.INTENT, choices.SEVERITY,
        choices.OUTCOME, choices.NATURE, choices.BODY_PART)}
    rng = random.Random(3)
    t0 = time.perf_counter()
    if writer == "excel" and rows > 200_000:
        ws = wb = _StreamedSharedStrings(path, rows, len(importer.RECORD_COLUMNS))
    elif writer == "excel":
        ws = wb = _SharedStringSheet(path)
    else:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
    ws.append([str(c[1]) for c in importer.RECORD_COLUMNS])
    areas = list(AREAS)
    today = date.today()
    for i in range(rows):
        a = rng.choices(areas, weights=[AREAS[x][0] for x in areas])[0]
        _w, (lo, hi), mechs, place, activity = AREAS[a]
        sev = rng.choices([s for s, _ in SEVERITY], weights=[w for _, w in SEVERITY])[0]
        u = units[i % len(units)]
        ws.append([u.code, (today - timedelta(days=rng.randrange(1, 700))).strftime("%Y-%m-%d"),
                   f"{rng.randrange(24):02d}:{rng.randrange(60):02d}", "", rng.randint(lo, hi), rng.choice("男女"),
                   name[choices.SAFETY_AREA][a], name[choices.PLACE][place], name[choices.ACTIVITY][activity],
                   name[choices.MECHANISM][rng.choice(list(mechs))], name[choices.INTENT]["unintentional"],
                   name[choices.NATURE]["fracture"], name[choices.BODY_PART]["lower_limb"], name[choices.SEVERITY][sev],
                   name[choices.OUTCOME][OUTCOME_BY_SEVERITY[sev]], source_of[u.code], "", "", ""])
    wb.save(path)
    log(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s")
    return path


def cmd_import(args):
    path = ensure_file(args.rows, args.writer)
    if args.worker:
        return cmd_import_worker(args, path)
    for _run in range(args.repeat):
        out = subprocess.run([sys.executable, __file__, "_import_once", path], capture_output=True, text=True,
                             env=os.environ.copy())
        log("\n".join(line for line in out.stdout.splitlines() if line.startswith("[")) or out.stderr[-3000:])


def cmd_import_once(args):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.injuries import services
    from safecommunity.injuries.models import ImportBatch, InjuryRecord

    user = UserFactory(username="bench_district", role="district", code=DISTRICT)
    with open(args.path, "rb") as fh:
        data = fh.read()
    base = rss_mb()
    t0 = time.perf_counter()
    batch = services.import_start(actor=user, uploaded=SimpleUploadedFile(os.path.basename(args.path), data))
    batch.refresh_from_db()
    elapsed = time.perf_counter() - t0
    peak = rss_mb()
    ok = batch.status == ImportBatch.Status.DONE
    print(f"[{db_label()}] import {batch.imported_rows:,} rows: {elapsed:.2f} s = {batch.imported_rows / elapsed:,.0f} rows/s; "
        f"peak RSS {peak:.0f} MB (process before import {base:.0f} MB); status {batch.status}"
        + ("" if ok else f" errors {batch.errors[:3]}"), flush=True)
    sys.stdout.flush()
    # Clean up so that the data set stays at its size and the file can be imported again.
    pairs = set(InjuryRecord.objects.filter(import_batch=batch).values_list("org_unit_id", "occurred_on__year"))
    with transaction.atomic():  # raw deletes: no per-row audit entries for the clean-up
        InjuryRecord.objects.filter(import_batch=batch)._raw_delete(connection.alias)
        services.stats_refresh(pairs)
        ImportBatch.objects.filter(pk=batch.pk)._raw_delete(connection.alias)
    if connection.vendor == "postgresql":  # the next run starts without 100,000 dead rows (autovacuum may lag)
        with connection.cursor() as c:
            c.execute(f"VACUUM ANALYZE {InjuryRecord._meta.db_table}")


# --- on a Celery worker ------------------------------------------------------------------------------

WORKER_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
WORKER_MEDIA = "/tmp/injuries_bench_media"


def _worker_env() -> dict:
    # ATTACHMENT_MAX_MB: a million rows make a 60 MB file, past the default upload limit of 50 MB.
    return {"ATTACHMENT_MAX_MB": "200", **os.environ, "REDIS_URL": WORKER_REDIS, "MEDIA_ROOT": WORKER_MEDIA, "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "safecommunity.settings.base", "PYTHONPATH": os.getcwd()}


def cmd_import_worker(args, path):
    """A Celery worker as the README's production section starts it (`celery -A safecommunity
    worker`, one pool process), Redis db 4 as broker and cache; the upload made by a second
    process through services.import_start, which queues the task."""
    import signal

    env = _worker_env()
    celery = os.path.join(os.path.dirname(sys.executable), "celery")
    subprocess.run([celery, "-A", "safecommunity", "purge", "-f"], env=env, capture_output=True)
    log_path = "/tmp/injuries_bench_worker.log"
    with open(log_path, "w") as worker_log:
        worker = subprocess.Popen([celery, "-A", "safecommunity", "worker", "-l", "info", "-c", "1"], env=env,
                                  stdout=worker_log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _i in range(120):
            time.sleep(1)
            if " ready." in open(log_path).read():
                break
        else:
            raise SystemExit(f"the worker did not start: {open(log_path).read()[-2000:]}")
        child = [sys.executable, __file__, "_worker_run", path, "--worker-pid", str(worker.pid)]
        subprocess.run(child + (["--kill"] if args.kill else []), env=env)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=120)


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmd_worker_run(args):
    import signal

    from django.core.cache import cache
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.injuries import importer, services
    from safecommunity.injuries.models import ImportBatch, InjuryRecord

    user = UserFactory(username="bench_district", role="district", code=DISTRICT)
    upload = TemporaryUploadedFile(os.path.basename(args.path), XLSX_MIME, os.path.getsize(args.path), None)
    with open(args.path, "rb") as fh:
        import shutil

        shutil.copyfileobj(fh, upload, 1 << 20)
    upload.seek(0)
    log(f"[{db_label()}] file {os.path.getsize(args.path) / 1e6:.1f} MB; worker pid {args.worker_pid}; "
        f"load average {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    batch = services.import_start(actor=user, uploaded=upload)
    queued = time.perf_counter() - t0
    peak: dict[int, int] = {}
    last_print, killed = 0.0, False
    while True:
        time.sleep(0.5)
        for pid in _tree(args.worker_pid):
            peak[pid] = max(peak.get(pid, 0), _status_kb(pid, "VmHWM"))
        b = ImportBatch.objects.only("status", "total_rows", "imported_rows").get(pk=batch.pk)
        done = cache.get(importer.progress_key(batch.pk)) or 0
        now = time.perf_counter() - t0
        if now - last_print > 15:
            log(f"  {now:6.0f} s  {b.status:8} {done:>9,} / {b.total_rows:,} rows; worker RSS now "
                f"{sum(_status_kb(p, 'VmRSS') for p in _tree(args.worker_pid)) / 1024:.0f} MB")
            last_print = now
        if args.kill and b.total_rows and done >= b.total_rows // 2:
            os.killpg(args.worker_pid, signal.SIGKILL)
            killed = True
            log(f"  {now:6.0f} s  kill -9 of the worker at {done:,} of {b.total_rows:,} rows checked")
            time.sleep(3)
            break
        if b.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            break
    elapsed = time.perf_counter() - t0
    b = ImportBatch.objects.get(pk=batch.pk)
    mb = max(peak.values() or [0]) / 1024
    if killed:
        rows = InjuryRecord.objects.filter(import_batch=batch).count()
        log(f"[{db_label()}] killed half-way: {rows:,} rows of the batch in the table "
            f"({InjuryRecord.objects.count():,} records in all); batch status {b.status}; "
            f"peak RSS of a worker process until then {mb:.0f} MB")
    else:
        log(f"[{db_label()}] worker import {b.imported_rows:,} rows: {elapsed:.0f} s from upload to done "
            f"(upload, checks and queueing {queued:.0f} s) = {b.imported_rows / elapsed:,.0f} rows/s; "
            f"peak RSS of a worker process {mb:.0f} MB (per process: "
            f"{', '.join(f'{v / 1024:.0f}' for v in peak.values())}); status {b.status}"
            + ("" if b.status == ImportBatch.Status.DONE else f" errors {b.errors[:3]}"))
    # Clean up so that the data set stays at its size and the file can be imported again.
    pairs = set(InjuryRecord.objects.filter(import_batch=batch).values_list("org_unit_id", "occurred_on__year"))
    with transaction.atomic():
        InjuryRecord.objects.filter(import_batch=batch)._raw_delete(connection.alias)
        services.stats_refresh(pairs)
        ImportBatch.objects.filter(pk=batch.pk)._raw_delete(connection.alias)
    if connection.vendor == "postgresql" and not killed:
        with connection.cursor() as c:
            c.execute(f"VACUUM ANALYZE {InjuryRecord._meta.db_table}")


# --- django-import-export -------------------------------------------------------------------------

def cmd_ie(args):
    target = "/tmp/ie_pkgs"
    if not os.path.isdir(os.path.join(target, "import_export")):
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target,
                            "django-import-export", "tablib", "diff-match-patch"], capture_output=True, text=True)
        log(f"pip install --target {target}: rc {r.returncode} in {time.perf_counter() - t0:.0f} s {r.stderr[-500:]}")
    path = ensure_file(args.rows)
    out = subprocess.run([sys.executable, __file__, "_ie_once", path, "--limit", str(args.limit)],
                         capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "") + ":" + target})
    log(out.stdout.strip() or out.stderr[-3000:])


def cmd_ie_once(args):
    import tablib
    from import_export import fields, resources, widgets

    from safecommunity.core.models import CodeItem
    from safecommunity.injuries import choices
    from safecommunity.injuries.models import InjuryRecord, ReportingSource
    from safecommunity.orgunits.models import OrgUnit

    class CodeWidget(widgets.ForeignKeyWidget):
        def __init__(self, key):
            super().__init__(CodeItem, "name")
            self.key = key

        def get_queryset(self, value, row, *a, **kw):
            return CodeItem.objects.filter(codelist__key=self.key)

    class SourceWidget(widgets.ForeignKeyWidget):
        def __init__(self):
            super().__init__(ReportingSource, "name")

    heads = ["unit", "occurred_on", "occurred_time", "place_detail", "age", "sex", "safety_area", "place", "activity",
             "mechanism", "intent", "nature", "body_part", "severity", "outcome", "source"]
    code_fields = {"safety_area": choices.SAFETY_AREA, "place": choices.PLACE, "activity": choices.ACTIVITY,
                   "mechanism": choices.MECHANISM, "intent": choices.INTENT, "nature": choices.NATURE,
                   "body_part": choices.BODY_PART, "severity": choices.SEVERITY, "outcome": choices.OUTCOME}

    attrs = {
        "org_unit": fields.Field(attribute="org_unit", column_name="unit", widget=widgets.ForeignKeyWidget(OrgUnit, "code")),
        "source": fields.Field(attribute="source", column_name="source", widget=SourceWidget()),
        **{f: fields.Field(attribute=f, column_name=f, widget=CodeWidget(k)) for f, k in code_fields.items()},
    }
    Meta = type("Meta", (), {"model": InjuryRecord, "fields": ["org_unit", "occurred_on", "occurred_time", "place_detail",
                                                                "age", "sex", "source", *code_fields],
                              "import_id_fields": [], "use_bulk": True, "batch_size": 5000,
                              "skip_diff": True, "force_init_instance": True})
    Resource = type("InjuryResource", (resources.ModelResource,), {**attrs, "Meta": Meta})
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(args.path).get_sheet_by_index(0).to_python()
    sex = {"男": "M", "女": "F"}
    ds = tablib.Dataset(headers=heads)
    for r in sheet[1:args.limit + 1]:
        ds.append([r[0], r[1], r[2], r[3], int(r[4]), sex[r[5]], *r[6:16]])
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    base = rss_mb()
    result = Resource().import_data(ds, dry_run=False, use_transactions=True, raise_errors=False)
    elapsed = time.perf_counter() - t0
    n = len(ds)
    log(f"[{db_label()}] django-import-export {n:,} rows: {elapsed:.2f} s = {n / elapsed:,.0f} rows/s; "
        f"errors {result.has_errors() or result.has_validation_errors()}; peak RSS {rss_mb():.0f} MB (before {base:.0f})")
    # Remove exactly what this run created (import-export sets created_at on the new rows only).
    InjuryRecord.objects.filter(created_at__gte=started, import_batch=None)._raw_delete(connection.alias)


# --- pages ----------------------------------------------------------------------------------------

def timed(fn, runs):
    fn()
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times), max(times)


def cmd_pages(args):
    from django.test import Client

    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.injuries import selectors
    from safecommunity.injuries.models import InjuryRecord

    year = date.today().year - 1
    n = InjuryRecord.objects.count()
    log(f"[{db_label()}] {n:,} records; analysis year {year}; {args.runs} runs each (median / min / max ms)")
    city = UserFactory(username="bench_city", role="city", code="500000")
    district = UserFactory(username="bench_district", role="district", code=DISTRICT)
    results = []
    for label, user, url in (("city page", city, f"/injuries/analysis/?year={year}"),
                             ("district page", district, f"/injuries/analysis/?year={year}")):
        client = Client()
        client.force_login(user)

        def get(url=url, client=client):
            r = client.get(url)
            assert r.status_code == 200, r.status_code

        results.append((label + " (summary table)", timed(get, args.runs)))
        original = selectors._Source.__init__

        def from_records(self, *a, _orig=original, **kw):
            _orig(self, *a, **kw)
            self.use_summary = False
            self.name = "records"

        selectors._Source.__init__ = from_records
        try:
            results.append((label + " (from records, no summary)", timed(get, max(3, args.runs // 3))))
        finally:
            selectors._Source.__init__ = original
    start, end = f"{year}-01-01", f"{year + 1}-01-01"
    dims = ["safety_area_id", "age_band", "sex", "mechanism_id", "severity_id", "org_unit_id"]
    with connection.cursor() as c:
        def sql_floor(where="", join=""):
            def run():
                for d in dims:
                    c.execute(f"SELECT r.{d}, COUNT(*) FROM injuries_injuryrecord r {join} "
                              f"WHERE r.occurred_on >= %s AND r.occurred_on < %s {where} GROUP BY r.{d}", [start, end])
                    c.fetchall()
            return run

        def one_group_by(where="", join=""):
            def run():
                c.execute(f"SELECT r.safety_area_id, COUNT(*) FROM injuries_injuryrecord r {join} "
                          f"WHERE r.occurred_on >= %s AND r.occurred_on < %s {where} GROUP BY r.safety_area_id",
                          [start, end])
                c.fetchall()
            return run

        def summary_floor(where="", join=""):
            def run():
                c.execute(f"SELECT s.dimension, s.key, SUM(s.count) FROM injuries_injurystat s {join} "
                          f"WHERE s.year = %s {where} GROUP BY s.dimension, s.key", [year])
                c.fetchall()
            return run

        join_r = "JOIN orgunits_orgunit o ON o.id = r.org_unit_id"
        join_s = "JOIN orgunits_orgunit o ON o.id = s.org_unit_id"
        where = "AND o.path LIKE '/500000/500103/%%'"
        results += [
            ("raw SQL floor, city: one GROUP BY (safety area)", timed(one_group_by(), args.runs)),
            ("raw SQL floor, city: the 6 GROUP BYs of the page", timed(sql_floor(), args.runs)),
            ("raw SQL, city: summary table GROUP BY", timed(summary_floor(), args.runs)),
            ("raw SQL floor, district: one GROUP BY", timed(one_group_by(where, join_r), args.runs)),
            ("raw SQL floor, district: the 6 GROUP BYs", timed(sql_floor(where, join_r), args.runs)),
            ("raw SQL, district: summary table GROUP BY", timed(summary_floor(where, join_s), args.runs)),
        ]
    for label, (med, lo, hi) in results:
        log(f"  {label:<55} {med:8.1f}  ({lo:.1f} – {hi:.1f})")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--records", type=int, default=1_000_000)
    p = sub.add_parser("import")
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--writer", choices=("excel", "openpyxl"), default="excel",
                   help="how the file stores text: a shared-string table as Excel writes it, or inline (openpyxl)")
    p.add_argument("--worker", action="store_true",
                   help="through a Celery worker on Redis (BENCH_REDIS_URL, default db 4), sampling its peak RSS")
    p.add_argument("--kill", action="store_true", help="with --worker: kill -9 the worker half-way, count the rows")
    p = sub.add_parser("_worker_run")
    p.add_argument("path")
    p.add_argument("--worker-pid", type=int, required=True)
    p.add_argument("--kill", action="store_true")
    p = sub.add_parser("_import_once")
    p.add_argument("path")
    p = sub.add_parser("ie")
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--limit", type=int, default=100_000, help="rows of the file to import")
    p = sub.add_parser("_ie_once")
    p.add_argument("path")
    p.add_argument("--limit", type=int, default=100_000)
    p = sub.add_parser("pages")
    p.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    {"setup": cmd_setup, "import": cmd_import, "_import_once": cmd_import_once, "ie": cmd_ie,
     "_ie_once": cmd_ie_once, "pages": cmd_pages, "_worker_run": cmd_worker_run}[args.cmd](args)


if __name__ == "__main__":
    main()
