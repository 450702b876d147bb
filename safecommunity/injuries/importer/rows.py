"""The rows of an injury-record file: checked column by column with the entry form's rules, the
duplicates found (in the file and among stored records), and the good rows written in chunks in
the background (`RowWriter`), all inside the import's one transaction."""

import hashlib
import operator
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core import bulk, personal
from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.excel import cell_text
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import OrgUnit

from .. import choices, rules
from ..models import ImportBatch, InjuryRecord, NilReport, ReportingSource
from ..services import STAT_FACTS, stat_count_columns, stats_add
from .cells import _BAD, _age_or_bad, _cached, _date_or_none, _time_or_bad
from .columns import RECORD_COLUMNS, SEX_VALUES

CHUNK = 5000  # rows checked, written and reported as progress together (setting IMPORT_CHUNK_ROWS)
MAX_ERRORS = 2000


class _Rollback(Exception):
    pass


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
        units = OrgUnit.objects.visible_to(self.actor).filter(level__in=CREATING_LEVELS)
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
