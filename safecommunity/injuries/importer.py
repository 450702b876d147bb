"""Bulk import of injury records and populations from .xlsx (read with python-calamine) or .csv.

All or nothing: every row is checked with the same rules as the entry form; rows are inserted in
chunks inside one transaction while no error has been seen; the first bad row stops inserting
(checking goes on, to list every problem) and the transaction is rolled back at the end. The
errors (row, column, reason) are stored on the ImportBatch and downloadable as Excel.
"""

import csv
import hashlib
import io
import logging
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from safecommunity.core import bulk
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import OrgUnit

from . import choices, personal, rules
from .models import ImportBatch, InjuryRecord, NilReport, ReportingSource
from .services import STAT_FACTS, stat_count_columns, stats_add

logger = logging.getLogger(__name__)

CHUNK = 5000  # rows checked, written and reported as progress together
MAX_ERRORS = 2000

# (key, header, code list key or None, required)
RECORD_COLUMNS = [
    ("unit", gettext_lazy("Unit code"), None, False),
    ("occurred_on", gettext_lazy("Date of injury"), None, True),
    ("occurred_time", gettext_lazy("Time of injury"), None, False),
    ("place_detail", gettext_lazy("Place within the unit"), None, False),
    ("age", gettext_lazy("Age"), None, False),
    ("sex", gettext_lazy("Sex"), None, True),
    ("safety_area", gettext_lazy("Safety area"), choices.SAFETY_AREA, True),
    ("place", gettext_lazy("Place of occurrence"), choices.PLACE, True),
    ("activity", gettext_lazy("Activity"), choices.ACTIVITY, True),
    ("mechanism", gettext_lazy("Mechanism (cause)"), choices.MECHANISM, True),
    ("intent", gettext_lazy("Intent"), choices.INTENT, True),
    ("nature", gettext_lazy("Nature of injury"), choices.NATURE, False),
    ("body_part", gettext_lazy("Body part"), choices.BODY_PART, False),
    ("severity", gettext_lazy("Severity"), choices.SEVERITY, True),
    ("outcome", gettext_lazy("Outcome"), choices.OUTCOME, True),
    ("source", gettext_lazy("Reporting source"), None, True),
    ("name", gettext_lazy("Name of the injured"), None, False),
    ("id_number", gettext_lazy("ID number"), None, False),
    ("phone", gettext_lazy("Phone"), None, False),
]

POPULATION_COLUMNS = [("unit", gettext_lazy("Unit code"), None, True), ("year", gettext_lazy("Year"), None, True)] + [
    (f"{sex}:{band}", f"{sex_label}{choices.age_band_label(band)}", None, False)
    for sex, sex_label in (("M", "男"), ("F", "女"))
    for band in choices.AGE_BAND_CODES
] + [("workforce", gettext_lazy("Workforce"), None, False)]

SEX_VALUES = {"男": "M", "女": "F", "不详": "U", "m": "M", "f": "F", "u": "U", "male": "M", "female": "F",
              "unknown": "U", "1": "M", "2": "F"}


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- template ----------------------------------------------------------------------------------

def template_bytes(kind: str = ImportBatch.Kind.RECORDS) -> bytes:
    """The Excel template: headers, an example row, the code lists as drop-downs (sheet 代码表)."""
    columns = RECORD_COLUMNS if kind == ImportBatch.Kind.RECORDS else POPULATION_COLUMNS
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Injury records") if kind == ImportBatch.Kind.RECORDS else _("Population"))
    ws.append([str(c[1]) + (" *" if c[3] else "") for c in columns])
    for i in range(1, len(columns) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    ws.freeze_panes = "A2"
    if kind == ImportBatch.Kind.RECORDS:
        lists = wb.create_sheet("代码表")
        col = 1
        for idx, (key, header, listkey, _req) in enumerate(columns, start=1):
            values = None
            if listkey:
                values = list(CodeItem.objects.of(listkey).active().order_by("sort_order").values_list("name", flat=True))
            elif key == "sex":
                values = ["男", "女", "不详"]
            if not values:
                continue
            letter = get_column_letter(col)
            lists.cell(row=1, column=col, value=str(header))
            for r, v in enumerate(values, start=2):
                lists.cell(row=r, column=col, value=v)
            dv = DataValidation(type="list", formula1=f"='代码表'!${letter}$2:${letter}${len(values) + 1}",
                                allow_blank=not _req, showErrorMessage=True,
                                error=str(_("Choose a value from the list.")))
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(idx)}2:{get_column_letter(idx)}100000")
            col += 1
        lists.sheet_state = "hidden"
        ws.append(["", timezone.localdate().strftime("%Y-%m-%d"), "08:30", "", 35, "男", "居家安全", "家中", "家务", "跌倒/坠落",
                   "非故意", "骨折", "下肢", "轻度", "处理后离院", "", "", "", ""])
    from io import BytesIO

    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def errors_bytes(errors: list[dict]) -> bytes:
    from safecommunity.core.excel import workbook_bytes

    return workbook_bytes([(_("Errors"), [_("Row"), _("Column"), _("Reason")],
                            ([e["row"], e["column"], e["reason"]] for e in errors))])


# --- reading -----------------------------------------------------------------------------------

def read_rows(data: bytes, file_name: str) -> tuple[int, Iterator[list]]:
    """(number of data rows, iterator over data rows as lists of cell values) — header skipped."""
    if file_name.lower().endswith(".csv"):
        text = data.decode("utf-8-sig") if not data.startswith(b"\xff\xfe") else data.decode("utf-16")
        lines = list(csv.reader(io.StringIO(text)))
        body = [r for r in lines[1:] if any(c.strip() for c in r)]
        return len(body), iter(body)
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = wb.get_sheet_by_index(0)
    total = max(0, sheet.height - 1)
    rows = sheet.iter_rows()
    next(rows, None)
    return total, rows


def _text(v) -> str:
    if type(v) is str:
        return v.strip()
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v).strip()


def _date(v) -> date | None:
    if type(v) is str:
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            pass
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, (int, float)) and 20000 < v < 80000:  # an Excel serial number
        return date(1899, 12, 30) + timedelta(days=int(v))
    s = _text(v)
    for fmt in ("%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _time(v) -> time | None:
    if v is None or v == "":
        return None
    if type(v) is str:
        try:
            return time.fromisoformat(v.strip())
        except ValueError:
            pass
    if isinstance(v, time):
        return v
    if isinstance(v, datetime):
        return v.time()
    if isinstance(v, timedelta):
        return (datetime.min + v).time()
    if isinstance(v, float) and 0 <= v < 1:
        seconds = round(v * 86400)
        return time(seconds // 3600, (seconds // 60) % 60)
    s = _text(v)
    for fmt in ("%H:%M", "%H:%M:%S", "%H时%M分"):
        try:
            return datetime.strptime(s, fmt).time()
        except ValueError:
            continue
    raise ValueError


def _int(v) -> int | None:
    if v is None or v == "":
        return None
    if type(v) is int:
        return v
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError
        return int(v)
    return int(_text(v))


def _cached(col, memo: dict, parse) -> list:
    """`parse` of every cell of a column, once per distinct value (kept in `memo`); the look-ups
    run at C speed (set difference, map)."""
    col = col if isinstance(col, (list, tuple)) else list(col)
    for v in set(col).difference(memo):
        memo[v] = parse(v)
    return list(map(memo.__getitem__, col))


def _date_or_none(v) -> date | None:
    try:
        return _date(v)
    except (ValueError, OverflowError, TypeError):
        return None


def _time_or_bad(v):
    try:
        return _time(v)
    except (ValueError, TypeError):
        return _BAD


def _age_or_bad(v):
    try:
        age = _int(v)
    except (ValueError, OverflowError):
        return _BAD
    return _BAD if age is not None and age < 0 else age


# --- records -----------------------------------------------------------------------------------

class _Rollback(Exception):
    pass


_BAD = object()


class RecordImporter:
    def __init__(self, batch: ImportBatch, actor):
        self.batch = batch
        self.actor = actor
        self.errors: list[dict] = []
        self.error_total = 0
        self.headers = {c[0]: str(c[1]) for c in RECORD_COLUMNS}
        self._dates: dict = {}  # cell value -> date (None: not a date)
        self._times: dict = {}  # cell value -> time, None or _BAD
        self._load_lookups()

    def _load_lookups(self):
        units = OrgUnit.objects.visible_to(self.actor).filter(level__in=("township", "enterprise", "park"))
        self.units = dict(units.values_list("code", "id"))
        self.own_unit = self.actor.org_unit_id if self.actor.org_unit_id in self.units.values() else None
        self.sources: dict[tuple[int, str], int] = {}
        for sid, uid, name in ReportingSource.objects.filter(org_unit_id__in=self.units.values(), is_active=True).values_list(
            "id", "org_unit_id", "name"
        ):
            self.sources[(uid, name)] = sid
        self.codes: dict[str, dict[str, int]] = {}
        self.code_of: dict[int, str] = {}
        self.name_of: dict[int, str] = {}
        for key, _h, listkey, _r in RECORD_COLUMNS:
            if listkey:
                lookup = {}
                for pk, code, name, name_en in CodeItem.objects.of(listkey).active().values_list("pk", "code", "name", "name_en"):
                    lookup[name] = lookup[code] = pk
                    if name_en:
                        lookup[name_en.lower()] = pk
                    self.code_of[pk] = code
                    self.name_of[pk] = name
                self.codes[key] = lookup
        self.nil = set(NilReport.objects.filter(org_unit_id__in=self.units.values()).values_list(
            "org_unit_id", "safety_area_id", "month"))

    def error(self, row: int, key: str, reason: str):
        self.error_total += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "column": self.headers.get(key, key), "reason": str(reason)})

    def parse_rows(self, rownums: list[int], chunk: list) -> list[tuple | None]:
        """Rows (numbered `rownums`) -> a tuple of INSERT_COLUMNS values per row, or None for a
        row with errors (recorded in row order, each row's in the order of its columns).

        Column by column: a file holds few distinct values per column (units, dates, codes), so
        each distinct cell is read once and the rows take its result from a dict; a column is
        searched for its problems only when it holds one (`in` on a list runs at C speed)."""
        rows = [c if len(c) == N_COLUMNS else (list(c) + [None] * N_COLUMNS)[:N_COLUMNS] for c in chunk]
        cols = list(zip(*rows, strict=True)) if rows else [()] * N_COLUMNS
        found: list[tuple[int, int, str, str]] = []  # (row index, order, column key, reason)

        def flag(i, order, key, reason):
            found.append((i, order, key, str(reason)))

        text = [_cached(col, {}, _text) for col in cols]
        for c in REQUIRED_INDEXES:
            if "" in text[c]:
                for i, t in enumerate(text[c]):
                    if not t:
                        flag(i, c, KEYS[c], _("Required."))
        unit_ids = _cached(text[0], {}, lambda t: self.units.get(t) if t else self.own_unit)
        if None in unit_ids:
            for i, (u, t) in enumerate(zip(unit_ids, text[0], strict=True)):
                if u is None:
                    flag(i, 100, "unit", _("Unknown unit code %(code)s, or a unit outside your area.") % {"code": t}
                         if t else _("Give the unit code."))
        dates = [d if t else None for d, t in zip(_cached(cols[1], self._dates, _date_or_none), text[1], strict=True)]
        if None in dates:
            for i, (d, t) in enumerate(zip(dates, text[1], strict=True)):
                if t and d is None:
                    flag(i, 101, "occurred_on", _("Not a date: %(value)s (use YYYY-MM-DD).") % {"value": t})
        times = _cached(cols[2], self._times, _time_or_bad)
        ages = _cached(cols[4], {}, _age_or_bad)
        for col, order, key, message in ((times, 102, "occurred_time", _("Not a time: %(value)s (use HH:MM).")),
                                         (ages, 103, "age", _("Not a whole number of years: %(value)s."))):
            if _BAD in col:
                c = KEYS.index(key)
                for i, v in enumerate(col):
                    if v is _BAD:
                        col[i] = None
                        flag(i, order, key, message % {"value": text[c][i]})
        sexes = _cached(text[5], {}, lambda t: SEX_VALUES.get(t.lower(), _BAD) if t else "")
        if _BAD in sexes:
            for i, x in enumerate(sexes):
                if x is _BAD:
                    sexes[i] = ""
                    flag(i, 104, "sex", _("Sex must be 男, 女 or 不详."))
        ids = {}
        for order, (c, key) in enumerate(CODE_INDEXES, start=105):
            lookup = self.codes[key]
            column = ids[key] = _cached(text[c], {}, lambda t, lk=lookup: (lk.get(t) or lk.get(t.lower()) or _BAD) if t else None)
            if _BAD in column:
                for i, pk in enumerate(column):
                    if pk is _BAD:
                        column[i] = None
                        flag(i, order, key, _("“%(value)s” is not in the code list.") % {"value": text[c][i]})
        source_ids = _cached(zip(unit_ids, text[15], strict=True), {},
                             lambda ut: (self.sources.get(ut) or _BAD) if ut[1] and ut[0] is not None else None)
        if _BAD in source_ids:
            for i, sid in enumerate(source_ids):
                if sid is _BAD:
                    source_ids[i] = None
                    flag(i, 120, "source", _("“%(value)s” is not a registered reporting source of this unit.") % {
                        "value": text[15][i]})
        id_numbers = [t.upper() for t in text[17]]
        code_of, name_of, now = self.code_of, self.name_of, self.now
        for i, (d, tm, age, severity, outcome, id_number, phone) in enumerate(zip(
            dates, times, ages, ids["severity"], ids["outcome"], id_numbers, text[18], strict=True,
        )):
            for k, (field, message) in enumerate(rules.check_case(
                occurred_on=d, occurred_time=tm, age=age, severity_code=code_of.get(severity, ""),
                outcome_code=code_of.get(outcome, ""), outcome_name=name_of.get(outcome, ""), id_number=id_number,
                phone=phone, now=now,
            )):
                flag(i, 130 + k, field, message)
        if self.nil:
            for i, (u, d, a) in enumerate(zip(unit_ids, dates, ids["safety_area"], strict=True)):
                if u and d and a and (u, a, d.replace(day=1)) in self.nil:
                    flag(i, 150, "safety_area", _("A nil report for this area and month exists; withdraw it first."))
        bad = set()
        for i, _order, key, reason in sorted(found, key=lambda e: (e[0], e[1])):
            bad.add(i)
            self.error(rownums[i], key, reason)
        bands = _cached(ages, {}, choices.age_band)
        encrypt = personal.encrypt
        names = [encrypt(t) if t else "" for t in text[16]]
        id_ciphers = [encrypt(t) if t else "" for t in id_numbers]
        phones = [encrypt(t) if t else "" for t in text[18]]
        places = [t[:100] for t in text[3]]
        shared = self.shared
        out = [r + shared for r in zip(
            unit_ids, places, dates, times, ages, bands, sexes, ids["safety_area"], ids["place"], ids["activity"],
            ids["mechanism"], ids["intent"], ids["nature"], ids["body_part"], ids["severity"], ids["outcome"],
            source_ids, names, id_ciphers, phones, strict=True,
        )]
        for i in bad:
            out[i] = None
        return out

    def run(self, rows: Iterator[list], total: int, progress=None) -> int:
        self.now = timezone.localtime().replace(tzinfo=None)  # local wall time, once for every row
        self.stamp = timezone.now()
        self.shared = (self.batch.pk, self.actor.pk, self.stamp, self.stamp)  # the last INSERT_COLUMNS
        imported = 0
        counts = Counter()
        rownums: list[int] = []
        chunk: list = []

        def flush():
            nonlocal imported, rownums, chunk
            records = [r for r in self.parse_rows(rownums, chunk) if r is not None]
            if records and not self.error_total:
                imported += writer.write(records)
                columns = list(zip(*records, strict=True))
                stat_count_columns(*(columns[i] for i in _FACT_INDEXES), counts=counts)
            if progress:
                progress(rownums[-1] - 1)
            rownums, chunk = [], []

        try:
            with transaction.atomic(), RowWriter() as writer:
                for i, cells in enumerate(rows, start=2):
                    if not any(cells) and not any(c is not None and c != "" for c in cells):
                        continue  # a blank row (the first test is the quick one: most rows fail it)
                    rownums.append(i)
                    chunk.append(cells)
                    if len(chunk) >= CHUNK:
                        flush()
                if chunk:
                    flush()
                if self.error_total or not imported:
                    if not self.error_total:
                        self.error(1, "", _("The file holds no data rows."))
                    raise _Rollback
                writer.close()
                stats_add(counts)
        except _Rollback:
            return 0
        return imported


INSERT_COLUMNS = ["org_unit_id", "place_detail", "occurred_on", "occurred_time", "age", "age_band", "sex",
                  "safety_area_id", "place_id", "activity_id", "mechanism_id", "intent_id", "nature_id",
                  "body_part_id", "severity_id", "outcome_id", "source_id", "name_cipher", "id_number_cipher",
                  "phone_cipher", "import_batch_id", "created_by_id", "created_at", "updated_at"]
KEYS = [c[0] for c in RECORD_COLUMNS]
_FACT_INDEXES = [INSERT_COLUMNS.index(c) for c in STAT_FACTS]
N_COLUMNS = len(RECORD_COLUMNS)
REQUIRED_INDEXES = [i for i, c in enumerate(RECORD_COLUMNS) if c[3]]
CODE_INDEXES = [(i, c[0]) for i, c in enumerate(RECORD_COLUMNS) if c[2]]


class RowWriter:
    """Inserts checked rows (tuples of INSERT_COLUMNS) with `core.bulk.insert` in a
    `core.bulk.BackgroundWriter`: each chunk is stored (a binary COPY on PostgreSQL, multi-row
    INSERTs on SQLite) while the importing thread checks the next one. The values went
    through the same checks as InjuryRecord's fields. Use as a context manager inside the
    import's transaction and call `close()` before the next query; a failure of the writer is
    raised by the next `write()` or by `close()`, and the caller's transaction rolls back."""

    def __init__(self):
        self.vendor = connection.vendor
        self._dates: dict = {}
        self._background = bulk.BackgroundWriter(name="injury-import-writer")

    def __enter__(self):
        self._adapter = bulk.Adapter()
        self._background.__enter__()
        return self

    def write(self, rows: list[tuple]) -> int:
        if self.vendor != "postgresql":  # parameters as the ORM sends them (a binary COPY takes Python values)
            ad = self._adapter
            days = _cached([r[2] for r in rows], self._dates, ad.date)
            stamp = ad.datetime(rows[0][22])
            rows = [(r[0], r[1], day, ad.time(r[3]) if r[3] is not None else None, *r[4:22], stamp, stamp)
                    for r, day in zip(rows, days, strict=True)]
        self._background.submit(lambda cursor: bulk.insert(
            InjuryRecord, INSERT_COLUMNS, rows, batch=CHUNK, binary=True, cursor=cursor))
        return len(rows)

    def close(self):
        """Every row written (or the writer's error raised)."""
        self._background.close()

    def __exit__(self, exc_type, exc, tb):
        return self._background.__exit__(exc_type, exc, tb)


# --- population --------------------------------------------------------------------------------

def import_population(batch: ImportBatch, actor, rows, total: int) -> tuple[int, list[dict]]:
    from django.core.exceptions import PermissionDenied, ValidationError

    from .services import population_save

    units = OrgUnit.objects.visible_to(actor)
    units = {u.code: u for u in units.filter(level__in=("township", "enterprise", "park"))}
    headers = {c[0]: str(c[1]) for c in POPULATION_COLUMNS}
    errors: list[dict] = []
    parsed = []
    for i, cells in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        cells = list(cells) + [None] * (len(POPULATION_COLUMNS) - len(cells))
        v = dict(zip((c[0] for c in POPULATION_COLUMNS), cells, strict=False))
        unit = units.get(_text(v["unit"]))
        if unit is None:
            errors.append({"row": i, "column": headers["unit"], "reason": _("Unknown unit code %(code)s, or a unit outside your area.") % {"code": _text(v["unit"])}})
        values = {}
        for key, header, _l, _r in POPULATION_COLUMNS[1:]:
            try:
                values[key] = _int(v[key])
                if values[key] is not None and values[key] < 0:
                    raise ValueError
            except ValueError:
                errors.append({"row": i, "column": str(header), "reason": _("Not a whole number ≥ 0: %(value)s.") % {"value": _text(v[key])}})
        if values.get("year") is None:
            errors.append({"row": i, "column": headers["year"], "reason": _("Required.")})
        parsed.append((i, unit, values))
    if not parsed and not errors:
        errors.append({"row": 1, "column": "", "reason": _("The file holds no data rows.")})
    if errors:
        return 0, errors
    try:
        with transaction.atomic():
            for i, unit, values in parsed:
                counts = {tuple(k.split(":")): (values[k] or 0) for k in values if ":" in k}
                try:
                    population_save(actor=actor, org_unit=unit, year=values["year"], counts=counts,
                                    workforce=values.get("workforce"))
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        errors.extend({"row": i, "column": field, "reason": m} for m in messages)
                except PermissionDenied as exc:
                    errors.append({"row": i, "column": headers["unit"], "reason": str(exc)})
            if errors:
                raise _Rollback
    except _Rollback:
        return 0, errors
    return len(parsed), errors


# --- running a batch ---------------------------------------------------------------------------

def progress_key(batch_id: int) -> str:
    return f"injuries:import:{batch_id}:progress"


def run_batch(batch_id: int) -> ImportBatch:
    """Check and import one batch (called by the Celery task)."""
    batch = ImportBatch.objects.select_related("attachment", "created_by").get(pk=batch_id)
    actor = batch.created_by
    with batch.attachment.file.open("rb") as fh:
        data = fh.read()
    try:
        total, rows = read_rows(data, batch.file_name)
    except Exception:  # noqa: BLE001 - any unreadable file is the user's problem, reported as such
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, finished_at=timezone.now(),
            errors=[{"row": 1, "column": "", "reason": _("The file cannot be read as .xlsx or .csv.")}])
        batch.refresh_from_db()
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, total_rows=total)

    def progress(done):
        # Inside the import transaction a row update would stay invisible: use the cache.
        cache.set(progress_key(batch.pk), done, 3600)

    if batch.kind == ImportBatch.Kind.POPULATION:
        imported, errors = import_population(batch, actor, rows, total)
        error_total = len(errors)
    else:
        importer = RecordImporter(batch, actor)
        try:
            imported = importer.run(rows, total, progress=progress)
            errors, error_total = importer.errors, importer.error_total
        except DatabaseError as exc:  # rolled back; e.g. a source deleted while the file was imported
            logger.exception("injury import %s refused by the database", batch.pk)
            imported, error_total = 0, 1
            errors = [{"row": 1, "column": "", "reason": _(
                "The database refused the rows, nothing was imported (%(error)s). Try again; if it "
                "happens again, tell the system administrator.") % {"error": str(exc).splitlines()[0][:200]}}]
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE if imported and not error_total else ImportBatch.Status.FAILED,
        processed_rows=total, imported_rows=imported, errors=errors, finished_at=timezone.now(),
    )
    batch.refresh_from_db()
    return batch
