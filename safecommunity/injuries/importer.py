"""Bulk import of injury records and populations from .xlsx or .csv (read row by row: core.excel.read_sheet).

All or nothing: every row is checked with the same rules as the entry form; rows are inserted in
chunks inside one transaction while no error has been seen; the first bad row stops inserting
(checking goes on, to list every problem) and the transaction is rolled back at the end. The
errors (row, column, reason) are stored on the ImportBatch and downloadable as Excel.
"""

import hashlib
import logging
import operator
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from safecommunity.core import bulk, personal
from safecommunity.core.excel import cell_text, read_sheet
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import OrgUnit

from . import choices, rules
from .models import ImportBatch, InjuryRecord, NilReport, ReportingSource
from .services import STAT_FACTS, stat_count_columns, stats_add

logger = logging.getLogger(__name__)

CHUNK = 5000  # rows checked, written and reported as progress together (setting IMPORT_CHUNK_ROWS)
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


# Other headers a column is known by (exports of other systems, the national report card, older
# templates), besides the template's own header in Chinese and in English.
ALIASES = {
    "unit": ("单位编码", "机构代码", "单位代码(街道/乡镇)", "街道乡镇代码"),
    "occurred_on": ("伤害发生日期", "受伤日期", "发生日期", "伤害日期"),
    "occurred_time": ("受伤时间", "发生时间", "伤害时间"),
    "place_detail": ("具体地点", "详细地点", "单位内地点"),
    "age": ("伤者年龄", "患者年龄", "年龄(岁)"),
    "sex": ("伤者性别", "患者性别"),
    "safety_area": ("安全促进领域", "安全社区领域", "领域"),
    "place": ("伤害发生地点", "地点"),
    "activity": ("伤害发生时活动", "活动"),
    "mechanism": ("致伤原因", "伤害发生原因", "原因"),
    "intent": ("意图", "是否故意"),
    "nature": ("性质",),
    "body_part": ("部位", "受伤部位"),
    "severity": ("伤害严重程度",),
    "outcome": ("伤害结局", "转归"),
    "source": ("伤害信息来源", "报告来源", "来源"),
    "name": ("伤者姓名", "患者姓名"),
    "id_number": ("身份证", "身份证号码", "证件号码", "公民身份号码"),
    "phone": ("联系电话", "手机", "联系方式"),
}


def _norm_header(value) -> str:
    return "".join(ch for ch in str(value or "") if not ch.isspace() and ch not in "*＊:：").lower()


def match_headers(header: list, columns=None) -> tuple[list[int | None], list[dict]]:
    """The position in the file of every template column (None: absent), found by header name —
    the template's header (Chinese or English) or a known alias, in any order — and the problems
    of the header row, one message per column, before any row is read: a required column
    missing, a header the template does not know, a column given twice."""
    columns = columns or RECORD_COLUMNS
    known: dict[str, str] = {}
    for key, label, _list, _required in columns:
        with translation.override("en"):
            english = str(label)
        for name in (str(label), english, key, *ALIASES.get(key, ())):
            known.setdefault(_norm_header(name), key)
    positions: dict[str, int] = {}
    problems: list[dict] = []
    labels = {c[0]: str(c[1]) for c in columns}
    for i, cell in enumerate(header):
        text_ = _norm_header(cell_text(cell))
        if not text_:
            continue
        key = known.get(text_)
        letter = get_column_letter(i + 1)
        if key is None:
            problems.append({"row": 1, "column": cell_text(cell), "reason": _(
                "Column %(letter)s “%(header)s” is not a column of the template: give it one of the "
                "template's headers, or remove it.") % {"letter": letter, "header": cell_text(cell)}})
        elif key in positions:
            problems.append({"row": 1, "column": labels[key], "reason": _(
                "The column “%(column)s” is there twice (columns %(first)s and %(second)s).") % {
                "column": labels[key], "first": get_column_letter(positions[key] + 1), "second": letter}})
        else:
            positions[key] = i
    for key, label, _list, required in columns:
        if required and key not in positions:
            problems.append({"row": 1, "column": str(label), "reason": _(
                "The required column “%(column)s” is missing: no header of the file is “%(column)s” "
                "or one of its other names.") % {"column": str(label)}})
    return [positions.get(c[0]) for c in columns], problems


def checksum(data) -> str:
    """SHA-256 of the file's bytes, or of a binary file read in chunks (left at its start)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return hashlib.sha256(data).hexdigest()
    data.seek(0)
    digest = hashlib.file_digest(data, "sha256").hexdigest()
    data.seek(0)
    return digest


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
    s = cell_text(v)
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
    s = cell_text(v)
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
    return int(cell_text(v))


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


def _person(name: str, id_number: str, age, sex: str):
    """Who a row is about, for finding duplicates: name + ID number, or name + age + sex; None
    without a name or ID number (such rows are never called duplicates)."""
    name = "".join(name.split())
    if id_number:
        return ("id", name, id_number)
    if name:
        return ("nas", name, age, sex)
    return None


class RecordImporter:
    """`positions`: where each template column is in the file (`match_headers`; None: the
    template's own order). `keep_duplicates`: rows about the same person, injury date and cause
    as an earlier row or a stored record are imported anyway (else skipped, the default); both
    ways they are listed (`duplicates`)."""

    def __init__(self, batch: ImportBatch, actor, positions: list[int | None] | None = None,
                 keep_duplicates: bool = False, only_rows: set[int] | None = None):
        self.batch = batch
        self.only_rows = only_rows  # import these rows of the file only (the duplicates skipped before)
        self.actor = actor
        self.errors: list[dict] = []
        self.error_total = 0
        self.duplicates: list[dict] = []
        self.duplicate_total = 0
        self.keep_duplicates = keep_duplicates
        self._seen = _SeenRows()  # (person, date, mechanism) → first row number
        self._reorder = None
        if positions is not None and positions != list(range(N_COLUMNS)):
            width = max((p for p in positions if p is not None), default=-1) + 1
            self._pad = [None] * (width + 1)
            self._reorder = operator.itemgetter(*[p if p is not None else width for p in positions])
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
        if self._reorder is not None:  # the file's columns in the template's order
            reorder, pad = self._reorder, self._pad
            chunk = [reorder([*c, *pad[len(c):]] if len(c) < len(pad) else c) for c in chunk]
        rows = [c if len(c) == N_COLUMNS else (list(c) + [None] * N_COLUMNS)[:N_COLUMNS] for c in chunk]
        cols = list(zip(*rows, strict=True)) if rows else [()] * N_COLUMNS
        found: list[tuple[int, int, str, str]] = []  # (row index, order, column key, reason)

        def flag(i, order, key, reason):
            found.append((i, order, key, str(reason)))

        text = [_cached(col, {}, cell_text) for col in cols]
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
        skipped = self._duplicates(rownums, bad, text[16], id_numbers, ages, sexes, dates, ids["mechanism"], unit_ids)
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
        for i in bad | skipped:
            out[i] = None
        return out

    def _duplicates(self, rownums, bad, names, id_numbers, ages, sexes, dates, mechanisms, unit_ids) -> set[int]:
        """Rows about the same person, injury date and cause as an earlier row of the file or a
        record already stored (in the same units): listed; returned (to skip) unless kept."""
        keyed = [(i, (_person(n, idn, a, x), d, m)) for i, (n, idn, a, x, d, m) in enumerate(zip(
            names, id_numbers, ages, sexes, dates, mechanisms, strict=True)) if (n or idn) and i not in bad]
        if not keyed:
            return set()
        stored = self._stored({k for _i, k in keyed}, {unit_ids[i] for i, _k in keyed})
        digests = [_digest(key) for _i, key in keyed]
        earlier = self._seen.first_rows(digests)  # rows of earlier chunks
        new: dict[int, int] = {}  # rows of this chunk
        skipped = set()
        for (i, key), digest in zip(keyed, digests, strict=True):
            first = earlier.get(digest) or new.get(digest)
            if first is not None:
                reason = _("Same person, date of injury and cause as row %(row)s of this file.") % {"row": first}
            elif key in stored:
                reason = _("Same person, date of injury and cause as injury record %(id)s, already stored.") % {
                    "id": stored[key]}
            else:
                new[digest] = rownums[i]
                continue
            self.duplicate_total += 1
            if len(self.duplicates) < MAX_ERRORS:
                self.duplicates.append({"row": rownums[i], "column": self.headers["name"], "reason": str(reason),
                                        "duplicate": True, "skipped": not self.keep_duplicates})
            if not self.keep_duplicates:
                skipped.add(i)
        self._seen.add(new)
        return skipped

    def _stored(self, keys: set[tuple], unit_ids: set) -> dict[tuple, int]:
        """{(person, date, mechanism): record id} of the stored records (not of this import) with
        the same dates and causes in the same units — one query per chunk, only for rows naming
        a person; their personal fields are decrypted to compare."""
        days = {d for _p, d, _m in keys if d}
        mechs = {m for _p, _d, m in keys if m}
        units = {u for u in unit_ids if u}
        if not days or not mechs or not units:
            return {}
        found = {}
        decrypt = personal.decrypt
        for pk, name, id_number, age, sex, day, mech in InjuryRecord.objects.filter(
                org_unit_id__in=units, occurred_on__in=days, mechanism_id__in=mechs).exclude(
                import_batch_id=self.batch.pk).exclude(name_cipher="", id_number_cipher="").values_list(
                "pk", "name_cipher", "id_number_cipher", "age", "sex", "occurred_on", "mechanism_id"):
            key = (_person(decrypt(name) if name else "", (decrypt(id_number) if id_number else "").upper(), age, sex),
                   day, mech)
            if key in keys:
                found.setdefault(key, pk)
        return found

    def run(self, rows: Iterable, total: int, progress=None) -> int:
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
                only, size = self.only_rows, settings.IMPORT_CHUNK_ROWS
                for i, cells in enumerate(rows, start=2):
                    if only is not None and i not in only:
                        continue
                    if not any(cells) and not any(c is not None and c != "" for c in cells):
                        continue  # a blank row (the first test is the quick one: most rows fail it)
                    rownums.append(i)
                    chunk.append(cells)
                    if len(chunk) >= size:
                        flush()
                if chunk:
                    flush()
                if self.error_total or not (imported or self.duplicate_total):
                    if not self.error_total:
                        self.error(1, "", _("The file holds no data rows."))
                    raise _Rollback
                writer.close()
                stats_add(counts)
        except _Rollback:
            return 0
        return imported


def _digest(key: tuple) -> int:
    """A row's (person, date, mechanism) as a signed 64-bit number (two keys meet by chance once in
    about 10^19 pairs: never in a file)."""
    return int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=8).digest(), "big", signed=True)


class _SeenRows:
    """The first row of each (person, date, mechanism) met so far in an import, kept in a temporary
    table of the import's transaction rather than in the worker's memory (a million rows naming a
    person would take about 300 MB as Python objects); asked and added to once per chunk."""

    TABLE = "injuries_import_seen"

    def __init__(self):
        self._ready = False

    def _table(self, cursor):
        if not self._ready:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.TABLE} (k bigint PRIMARY KEY, r integer NOT NULL)")
            cursor.execute(f"DELETE FROM {self.TABLE}")  # left by an earlier import in the same transaction
            self._ready = True

    def first_rows(self, digests: list[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        with connection.cursor() as cursor:
            self._table(cursor)
            unique = list(set(digests))
            for start in range(0, len(unique), 900):
                part = unique[start:start + 900]
                cursor.execute(f"SELECT k, r FROM {self.TABLE} WHERE k IN ({', '.join(['%s'] * len(part))})", part)
                found.update(cursor.fetchall())
        return found

    def add(self, rows: dict[int, int]) -> None:
        if rows:
            with connection.cursor() as cursor:
                self._table(cursor)
                cursor.executemany(f"INSERT INTO {self.TABLE} (k, r) VALUES (%s, %s)", list(rows.items()))


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
        unit = units.get(cell_text(v["unit"]))
        if unit is None:
            errors.append({"row": i, "column": headers["unit"], "reason": _("Unknown unit code %(code)s, or a unit outside your area.") % {"code": cell_text(v["unit"])}})
        values = {}
        for key, header, _l, _r in POPULATION_COLUMNS[1:]:
            try:
                values[key] = _int(v[key])
                if values[key] is not None and values[key] < 0:
                    raise ValueError
            except ValueError:
                errors.append({"row": i, "column": str(header), "reason": _("Not a whole number ≥ 0: %(value)s.") % {"value": cell_text(v[key])}})
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


def _beat_key(batch_id: int) -> str:
    return f"injuries:import:{batch_id}:alive"


def heartbeat(batch_id: int) -> None:
    """The running import is alive (set at its start and with every chunk's progress)."""
    cache.set(_beat_key(batch_id), timezone.now().timestamp(), 86400)


def is_stale(batch: ImportBatch) -> bool:
    """A waiting or running batch with no sign of life for IMPORT_STALE_MINUTES: its worker died
    (killed, restarted, out of memory) or its task was lost. It can be retried or cancelled."""
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return False
    last = max(batch.updated_at, batch.created_at).timestamp()
    last = max(last, cache.get(_beat_key(batch.pk)) or 0)
    return timezone.now().timestamp() - last > settings.IMPORT_STALE_MINUTES * 60


def run_batch(batch_id: int, keep_duplicates: bool = False, only_rows: set[int] | None = None,
              on_progress=None) -> ImportBatch:
    """Check and import one batch (called by the Celery task, or by `safecommunity injuries_import`).
    The file is read row by row (core.excel.read_sheet; a records file under the worker's limits
    when a worker runs it) and imported in chunks inside one transaction: a worker killed part-way
    leaves no row behind, and the batch, stuck as running, is retried or cancelled once stale.
    `on_progress(rows done, total)`: called after every chunk, besides the progress kept in the
    cache for the batch's page."""
    batch = ImportBatch.objects.select_related("attachment", "created_by").get(pk=batch_id)
    if batch.status != ImportBatch.Status.PENDING:  # cancelled, or already taken by another worker
        return batch
    heartbeat(batch.pk)

    def failed(errors):
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, processed_rows=0, imported_rows=0, errors=errors,
            finished_at=timezone.now())
        batch.refresh_from_db()
        return batch

    with batch.attachment.file.open("rb") as fh:
        try:
            sheet = read_sheet(fh, batch.file_name, worker=batch.kind == ImportBatch.Kind.RECORDS)
        except ValidationError as exc:  # past the limits, or no reader can open it: the user's problem
            return failed([{"row": 1, "column": "", "reason": "；".join(exc.messages)}])
        with sheet:
            try:
                imported, errors, error_total, duplicates = _run(batch, sheet, keep_duplicates, only_rows, on_progress)
            except ValidationError as exc:  # the file turned out broken part-way: nothing was imported
                return failed([{"row": 1, "column": "", "reason": "；".join(exc.messages)}])
    if errors is None:
        return batch
    done = not error_total and (imported or duplicates)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE if done else ImportBatch.Status.FAILED,
        processed_rows=sheet.total, imported_rows=imported, errors=errors, finished_at=timezone.now(),
    )
    batch.refresh_from_db()
    return batch


def _run(batch, sheet, keep_duplicates, only_rows, on_progress) -> tuple[int, list | None, int, int]:
    """(rows imported, errors to keep — None when the batch was already marked failed —, errors in
    all, duplicates in all)."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, total_rows=sheet.total,
                                                   updated_at=timezone.now())
    actor = batch.created_by

    def progress(done):
        # Inside the import transaction a row update would stay invisible: use the cache.
        cache.set(progress_key(batch.pk), done, 3600)
        heartbeat(batch.pk)
        if on_progress is not None:
            on_progress(done, sheet.total)

    if batch.kind == ImportBatch.Kind.POPULATION:
        imported, errors = import_population(batch, actor, sheet.rows, sheet.total)
        return imported, errors, len(errors), 0
    positions, header_problems = match_headers(sheet.header)
    if header_problems:  # the columns are wrong: said once per column, no row read
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, processed_rows=0, imported_rows=0, errors=header_problems,
            finished_at=timezone.now())
        batch.refresh_from_db()
        return 0, None, len(header_problems), 0
    importer = RecordImporter(batch, actor, positions, keep_duplicates=keep_duplicates, only_rows=only_rows)
    try:
        imported = importer.run(sheet.rows, sheet.total, progress=progress)
    except DatabaseError as exc:  # rolled back; e.g. a source deleted while the file was imported
        logger.exception("injury import %s refused by the database", batch.pk)
        return 0, [{"row": 1, "column": "", "reason": _(
            "The database refused the rows, nothing was imported (%(error)s). Try again; if it "
            "happens again, tell the system administrator.") % {"error": str(exc).splitlines()[0][:200]}}], 1, 0
    return imported, importer.errors + importer.duplicates, importer.error_total, importer.duplicate_total


def skipped_duplicates(batch: ImportBatch) -> list[int]:
    """Rows of a done import that were skipped as duplicates (not kept), while no later import
    of the same file took them."""
    if batch.status != ImportBatch.Status.DONE or batch.kind != ImportBatch.Kind.RECORDS:
        return []
    rows = [e["row"] for e in batch.errors if e.get("duplicate") and e.get("skipped")]
    if not rows or ImportBatch.objects.filter(attachment_id=batch.attachment_id, pk__gt=batch.pk).exists():
        return []
    return rows


def import_skipped_duplicates(*, actor, batch: ImportBatch) -> ImportBatch:
    """The user's choice after seeing the list: import the rows a done import skipped as
    duplicates after all — a new batch of the same file holding those rows only (all or nothing,
    the same checks). Refused once done (a later batch of the file exists)."""
    from django.core.exceptions import ValidationError

    from safecommunity.accounts.rules import require_role, require_scope

    from .services import RECORD_WRITE_ROLES

    require_role(actor, *RECORD_WRITE_ROLES)
    require_scope(actor, batch.org_unit)
    rows = skipped_duplicates(batch)
    if not rows:
        raise ValidationError({"batch": [_("This import has no skipped duplicates left to import.")]})
    again = ImportBatch.objects.create(
        org_unit=actor.org_unit, kind=batch.kind, attachment=batch.attachment, file_name=batch.file_name,
        checksum=batch.checksum, created_by=actor)
    return run_batch(again.pk, keep_duplicates=True, only_rows=set(rows))
