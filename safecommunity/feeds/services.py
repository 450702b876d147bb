"""Writes of the hospital feeds. A file is analysed twice with the same code: at preview
(nothing written but the upload's summary) and at import (inside one transaction: all the ready
rows or nothing). Every write checks role and scope and changes nothing on bad input.

Workflow of an upload (explicit transitions; `FeedUpload.Status`):

    mapping  → preview   (columns mapped)
    preview  → imported  (import the ready rows)      preview → cancelled
    imported → undone    (by whoever imported it, while nothing depends on it)
"""

import contextvars
import hashlib
import hmac
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core import bulk
from safecommunity.core.excel import cell_text
from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.injuries import choices as ic
from safecommunity.injuries import personal, rules
from safecommunity.injuries.models import ImportBatch, InjuryRecord, NilReport, ReportingSource
from safecommunity.injuries.services import stat_counts, stats_add
from safecommunity.orgunits.models import OrgUnit

from . import card, staging, values
from .matching import AddressMatcher
from .models import ColumnMapping, FeedCase, FeedUpload
from .staging import Elsewhere

WRITE_ROLES = (Role.UNIT, Role.DISTRICT)
S = FeedUpload.Status
TRANSITIONS = {
    S.MAPPING: {S.PREVIEW, S.CANCELLED},
    S.PREVIEW: {S.IMPORTED, S.CANCELLED, S.MAPPING},
    S.IMPORTED: {S.UNDONE},
    S.CANCELLED: set(),
    S.UNDONE: set(),
}
MAX_PROBLEMS = 20000
CHUNK = 2000


def _transition(upload: FeedUpload, to: str) -> None:
    if to not in TRANSITIONS[upload.status]:
        raise ValidationError({"status": [_("An upload that is “%(status)s” cannot be changed this way.") % {
            "status": upload.get_status_display()}]})
    upload.status = to


# --- person key -----------------------------------------------------------------------------

def _person_secret() -> bytes:
    return hashlib.sha256(b"safecommunity.feeds.person|" + settings.SECRET_KEY.encode()).digest()


def person_mac():
    """The keyed HMAC-SHA256 state `person_key` starts from (set up once, copied per value)."""
    return hmac.new(_person_secret(), digestmod=hashlib.sha256)


def person_key(*, name: str, id_number: str, age: int | None, sex: str, mac=None) -> str:
    """A salted hash (HMAC-SHA256, key from SECRET_KEY) of name + ID number, or of name + age + sex
    when there is no ID number. "" when there is no name and no ID number (no comparison).
    `mac`: a `person_mac()` to start from (a file's worth of keys)."""
    name = "".join((name or "").split())
    id_number = (id_number or "").strip().upper()
    if id_number:
        material = f"id|{name}|{id_number}"
    elif name:
        material = f"nas|{name}|{'' if age is None else age}|{sex}"
    else:
        return ""
    h = (mac or person_mac()).copy()
    h.update(material.encode())
    return h.hexdigest()


# --- analysing a file -----------------------------------------------------------------------

@dataclass(slots=True)
class Case:
    row: int
    card_number: str
    unit_id: int | None
    address: str
    occurred_on: date
    occurred_time: time | None
    age: int | None
    sex: str
    ids: dict
    safety_area_id: int
    name: str
    id_number: str
    phone: str
    key: str
    status: str = FeedCase.Status.IMPORTED
    duplicate_of: int | None = None


@dataclass
class Analysis:
    """Counts of a file's rows. Cases pass through in chunks (`Analyser.run(rows, sink)`), so a
    100,000-row file never sits in memory as objects."""

    rows_read: int = 0
    problems: list = field(default_factory=list)
    problem_rows: set = field(default_factory=set)
    known: int = 0
    ready: int = 0
    per_unit: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    unplaced: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    pairs: set = field(default_factory=set)
    elsewhere: Counter = field(default_factory=Counter)  # district name → cases of that district

    def tally(self, chunk: list[Case]) -> None:
        for c in chunk:
            self.ready += 1
            self.by_status[c.status] += 1
            if c.status == FeedCase.Status.IMPORTED:
                self.per_unit[c.unit_id] += 1
                self.pairs.add((c.unit_id, c.occurred_on.year))
            elif c.status == FeedCase.Status.UNPLACED and len(self.unplaced) < 500:
                self.unplaced.append([c.row, c.address])
            elif c.status == FeedCase.Status.DUPLICATE and len(self.duplicates) < 500:
                self.duplicates.append([c.row, c.card_number, c.occurred_on.isoformat()])


class Analyser:
    """Turns card rows into Cases, with the problems of each row (row, column, reason)."""

    def __init__(self, *, source: ReportingSource, scope_path: str, columns: dict[str, int], headers: list[str]):
        self.source = source
        self.columns = columns
        self.headers = headers
        self.matcher = AddressMatcher(scope_path)
        self.lookups = values.lookups()
        self.death_severity = CodeItem.objects.of(ic.SEVERITY).filter(code=ic.SEVERITY_DEATH).values_list(
            "pk", flat=True).first()
        self._coded = [(key, {}) for key in card.CODED]  # per field: {cell text: item id or None}
        self.code_of = {}
        self.name_of = {}
        for key in set(values.CODELIST_OF_FIELD.values()):
            for pk, code, name in CodeItem.objects.of(key).values_list("pk", "code", "name"):
                self.code_of[pk] = code
                self.name_of[pk] = name
        self.areas = values.safety_area_ids()
        self.area_names = {values.norm_value(v): pk for pk, code, name in CodeItem.objects.of(ic.SAFETY_AREA).values_list(
            "pk", "code", "name") for v in (code, name)}
        self.mac = person_mac()
        self.now = timezone.localtime(timezone.now()).replace(tzinfo=None)  # local naive: check_case skips the conversion
        self.today = timezone.localdate()
        self.labels = {k: (headers[i] if i < len(headers) and headers[i] else card.BY_KEY[k].label)
                       for k, i in columns.items()}
        self.field_labels = dict(values.Field.choices)
        self._mapped = list(columns.items())
        self._width = max(columns.values(), default=-1) + 1
        self._datetimes: dict[str, tuple] = {}
        self._ages: dict[str, int | None] = {}
        self.fingerprint = hashlib.sha256(repr((
            sorted((k, sorted(v.items())) for k, v in self.lookups.items()), sorted(self.areas.items()),
            sorted(self.area_names.items()),
            sorted((k, sorted(v)) for k, v in self.matcher.names.items()), sorted(self.matcher.districts.items()),
            sorted(columns.items()), headers, scope_path, source.pk, self.today.isoformat(),
        )).encode()).hexdigest()

    def label(self, key: str) -> str:
        if key in self.labels:
            return self.labels[key]
        if key in card.BY_KEY:
            return card.BY_KEY[key].label
        return {"org_unit": pgettext("person", "Address"), "occurred_on": self.label("occurred"), "occurred_time": self.label("occurred"),
                "safety_area": _("Safety area")}.get(key, key)

    def _datetime(self, value):
        """card.parse_datetime, remembered for text cells (an export repeats its dates and times)."""
        if type(value) is not str:
            return card.parse_datetime(value)
        parsed = self._datetimes.get(value)
        if parsed is None:
            parsed = card.parse_datetime(value)
            if parsed is not None and len(self._datetimes) < 20_000:
                self._datetimes[value] = parsed
        return parsed

    def _age(self, value):
        """card.parse_age, remembered for text cells."""
        if type(value) is not str:
            return card.parse_age(value)
        age = self._ages.get(value, False)
        if age is False:
            age = card.parse_age(value)
            if len(self._ages) < 10_000:
                self._ages[value] = age
        return age

    def parse(self, rownum: int, cells) -> tuple[Case | None, list[tuple[str, str]]]:
        errors: list[tuple[str, str]] = []
        col = self.columns
        text = cell_text
        # every mapped cell once: raw value and its text
        if len(cells) >= self._width:
            raws = {k: cells[i] for k, i in self._mapped}
        else:
            n = len(cells)
            raws = {k: (cells[i] if i < n else None) for k, i in self._mapped}
        texts = {k: (v.strip() if type(v) is str else text(v)) for k, v in raws.items()}
        raw = raws.get
        txt = texts.get  # txt(key, "")

        address = txt("address", "")
        placement = self.matcher.place(address)
        district = self.matcher.elsewhere(placement)
        if district is not None:  # another area's case: not the uploader's to check or import
            m = self.matcher
            if district in m.foreign_districts or placement.unit_id is None:
                return Elsewhere(m.district_names[district]), []
            return Elsewhere(m.unit_names[placement.unit_id]), []  # another township of the uploader's district
        if placement.conflict:
            errors.append(("address", placement.conflict))
        for key in card.REQUIRED_KEYS:
            if key in col and txt(key, "") == "":
                errors.append((key, _("Required.")))
        occurred = visit = None
        try:
            occurred = self._datetime(raw("occurred"))
        except (ValueError, OverflowError):
            errors.append(("occurred", _("Not a date: %(value)s.") % {"value": txt("occurred", "")}))
        if "visit_date" in col:
            try:
                visit = self._datetime(raw("visit_date"))
            except (ValueError, OverflowError):
                errors.append(("visit_date", _("Not a date: %(value)s.") % {"value": txt("visit_date", "")}))
        occurred_on, occurred_time = occurred if occurred else (None, None)
        if occurred and visit:
            if visit[0] < occurred_on or (visit[0] == occurred_on and visit[1] and occurred_time
                                          and visit[1] < occurred_time):
                errors.append(("visit_date", _("The visit (%(visit)s) is before the injury (%(injury)s).") % {
                    "visit": txt("visit_date", ""), "injury": txt("occurred", "")}))
        id_number = txt("id_number", "").upper()
        if id_number in card.UNKNOWN_WORDS or card.MASK in id_number:  # masked by an export: not known
            id_number = ""
        age = None
        try:
            age = self._age(raw("age"))
        except ValueError:
            errors.append(("age", _("Not an age: %(value)s (write 45, 45岁, 3月 or 10天).") % {"value": txt("age", "")}))
            age = -1
        if age is None and occurred_on:
            birth = None
            if "birth_date" in col and txt("birth_date", ""):
                try:
                    parsed = card.parse_datetime(raw("birth_date"))
                    birth = parsed[0] if parsed else None
                except (ValueError, OverflowError):
                    errors.append(("birth_date", _("Not a date: %(value)s.") % {"value": txt("birth_date", "")}))
            elif id_number and rules.id_number_valid(id_number):
                birth = rules.birth_date_of(id_number)
            if birth is not None and birth <= occurred_on:
                age = rules.age_on(birth, occurred_on)
            elif birth is None and not any(k == "birth_date" for k, _m in errors):
                errors.append(("age", _("The age is unknown and there is no birth date to compute it from.")))
        if age == -1:
            age = None
        sex = ""
        sex_text = txt("sex", "")
        if sex_text:
            sex = card.SEX.get(sex_text.lower(), "")
            if not sex:
                errors.append(("sex", _("Sex must be 男, 女 or 不详, not %(value)s.") % {"value": sex_text}))
        ids = {}
        for key, coded in self._coded:
            value = txt(key, "")
            if not value:
                ids[key] = None
                continue
            pk = coded.get(value, False)
            if pk is False:
                pk = coded[value] = values.resolve(self.lookups[key], value)
            if pk is None:
                errors.append((key, _("“%(value)s” is not a known value of %(field)s; add it to the value mappings.") % {
                    "value": value, "field": self.field_labels[key]}))
            ids[key] = pk
        if ids["outcome"] is not None and self.code_of.get(ids["outcome"]) == ic.OUTCOME_DEATH and self.death_severity:
            # values.DEATH_BY_OUTCOME: the card's severity stops at 重度; a death is a death
            ids["severity"] = self.death_severity
            errors = [e for e in errors if e[0] != "severity"]
        name = txt("name", "")
        phone = txt("phone", "")
        if card.MASK in phone:
            phone = ""
        area_id = None
        if "safety_area" in col and txt("safety_area", ""):
            area_id = self.area_names.get(values.norm_value(txt("safety_area", "")))
            if area_id is None:
                errors.append(("safety_area", _("“%(value)s” is not one of the 12 safety areas.") % {
                    "value": txt("safety_area", "")}))
        if occurred_on:
            for fld, message in rules.check_case(
                occurred_on=occurred_on, occurred_time=occurred_time, age=age,
                severity_code=self.code_of.get(ids.get("severity"), ""),
                outcome_code=self.code_of.get(ids.get("outcome"), ""),
                outcome_name=self.name_of.get(ids.get("outcome"), ""),
                id_number=id_number, phone=phone, now=self.now,
            ):
                errors.append(({"occurred_on": "occurred", "occurred_time": "occurred"}.get(fld, fld), message))
        if errors:
            return None, errors
        area = values.safety_area_code(
            mechanism=self.code_of.get(ids["mechanism"], ""), place=self.code_of.get(ids["place"], ""),
            activity=self.code_of.get(ids["activity"], ""), intent=self.code_of.get(ids["intent"], ""), age=age)
        case = Case(
            row=rownum, card_number=txt("card_number", "")[:64],
            unit_id=placement.unit_id if placement.unit_id in self.matcher.in_scope else None,
            address=address[:200], occurred_on=occurred_on, occurred_time=occurred_time, age=age, sex=sex or "U",
            ids=ids, safety_area_id=area_id or self.areas[area], name=name[:50], id_number=id_number, phone=phone[:20],
            key=person_key(name=name, id_number=id_number, age=age, sex=sex or "U", mac=self.mac),
        )
        if case.unit_id is None:
            case.status = FeedCase.Status.UNPLACED
        return case, []

    def parsed(self, rows):
        """(row number, case or None, [(column, reason)]) for every non-empty row."""
        for rownum, cells in rows:
            if not any(cells) and not any(c not in (None, "") for c in cells):  # any(): the quick test
                continue
            case, errors = self.parse(rownum, cells)
            yield rownum, case, errors

    def run(self, items, sink=None, adjust=None, stage=None) -> Analysis:
        """`items` from `parsed()` (or `staging.read()`): the cases that pass go, in chunks,
        through the checks that need the database (already imported, nil reports, duplicates)
        and then to `sink` (the writer). `stage`: a staging.Writer keeping the parsed rows for
        the import."""
        result = Analysis()
        self._nil, self._nil_units = set(), set()
        known_cards = set(FeedCase.objects.filter(source=self.source).exclude(card_number="").values_list(
            "card_number", flat=True))
        seen_cards = set()
        chunk: list[Case] = []

        def flush():
            kept = self._duplicates(self._nil_reports(chunk, result))
            result.tally(kept)
            if sink is not None:
                sink(kept)
            chunk.clear()

        for rownum, case, errors in items:
            result.rows_read += 1
            if stage is not None:
                stage.add(rownum, case, [(self.label(k), str(m)) for k, m in errors])
            if type(case) is Elsewhere:
                result.elsewhere[case.district] += 1
                continue
            if errors:
                result.problem_rows.add(rownum)
                for key, message in errors:
                    if len(result.problems) < MAX_PROBLEMS:
                        result.problems.append([rownum, self.label(key), str(message)])
                continue
            if case.card_number and (case.card_number in known_cards or case.card_number in seen_cards):
                result.known += 1
                continue
            if case.card_number:
                seen_cards.add(case.card_number)
            if adjust is not None:
                adjust(case)
            chunk.append(case)
            if len(chunk) >= CHUNK:
                flush()
        flush()
        return result

    def _nil_reports(self, chunk: list[Case], result: Analysis) -> list[Case]:
        """Cases in a month and area that their unit reported as having no injuries are problems.
        The nil reports of each unit are read once per file (an export names a handful of units)."""
        new_units = {c.unit_id for c in chunk if c.unit_id} - self._nil_units
        if new_units:
            self._nil.update(NilReport.objects.filter(org_unit_id__in=new_units).values_list(
                "org_unit_id", "safety_area_id", "month"))
            self._nil_units |= new_units
        nil = self._nil
        if not nil:
            return list(chunk)
        kept = []
        for c in chunk:
            if c.unit_id and (c.unit_id, c.safety_area_id, c.occurred_on.replace(day=1)) in nil:
                result.problem_rows.add(c.row)
                result.problems.append([c.row, self.label("occurred"), _(
                    "A nil report of the unit says there were no injuries in this area and month; withdraw it first.")])
            else:
                kept.append(c)
        return kept

    def _duplicates(self, chunk: list[Case]) -> list[Case]:
        """The same person, day and mechanism already reported by another source → duplicate."""
        keyed = [c for c in chunk if c.key]
        keys = list({c.key for c in keyed})
        existing: dict[tuple, int] = {}
        if keys:  # a chunk holds at most CHUNK cases: one query
            for key, day, mech, record_id, dup in FeedCase.objects.filter(_key_in(keys)).exclude(
                    source=self.source).values_list("person_key", "occurred_on", "mechanism_id", "record_id",
                                                    "duplicate_of_id"):
                target = record_id or dup
                if target:
                    existing.setdefault((key, day, mech), target)
        for c in keyed:
            target = existing.get((c.key, c.occurred_on, c.ids["mechanism"]))
            if target:
                c.status = FeedCase.Status.DUPLICATE
                c.duplicate_of = target
        return chunk


def _key_in(keys: list[str]) -> Q:
    """person_key IN keys. On PostgreSQL one text parameter split on the server (no client-side
    formatting of thousands of parameters, or of an array of them, per chunk), read through a
    sub-select: while an import fills the table in its own transaction the table has no
    statistics, and with the keys in view the planner takes a sequential scan of the growing
    table for every chunk (≈ 50 ms at 100,000 rows) instead of the person_key index (≈ 5 ms).
    Elsewhere a plain IN list, written here rather than by the `__in` lookup, which prepares
    each value through the ORM."""
    column = f"{connection.ops.quote_name(FeedCase._meta.db_table)}.{connection.ops.quote_name('person_key')}"
    if connection.vendor == "postgresql":  # the keys (hex digits) as one comma-separated text: no array to format
        return Q(RawSQL(f"{column} = ANY(ARRAY(SELECT unnest(string_to_array(%s, ',')::varchar[])))",
                        (",".join(keys),), output_field=BooleanField()))
    return Q(RawSQL(f"{column} IN ({', '.join(['%s'] * len(keys))})", keys, output_field=BooleanField()))


def _summary(upload: FeedUpload, analysis: Analysis) -> None:
    names = dict(OrgUnit.objects.filter(id__in=analysis.per_unit).values_list("id", "name"))
    upload.rows_read = analysis.rows_read
    upload.rows_problem = len(analysis.problem_rows)
    upload.rows_known = analysis.known
    upload.rows_duplicate = analysis.by_status[FeedCase.Status.DUPLICATE]
    upload.rows_unplaced = analysis.by_status[FeedCase.Status.UNPLACED]
    upload.rows_ready = analysis.ready
    upload.summary = {
        "per_unit": sorted([[names.get(u, "?"), n] for u, n in analysis.per_unit.items()], key=lambda x: (-x[1], x[0])),
        "problems": analysis.problems,
        "problem_rows": sorted(analysis.problem_rows),
        "problems_truncated": len(analysis.problems) >= MAX_PROBLEMS,
        "unplaced": analysis.unplaced,
        "duplicates": analysis.duplicates,
        "elsewhere": [[d, n] for d, n in sorted(analysis.elsewhere.items(), key=lambda x: (-x[1], x[0]))],
    }


# --- uploads --------------------------------------------------------------------------------

def _scope_path(actor) -> str:
    return actor.scope_path if actor.role in (Role.UNIT, Role.DISTRICT) else "/"


def _data(upload: FeedUpload) -> bytes:
    with upload.attachment.file.open("rb") as fh:
        return fh.read()


def _open(upload: FeedUpload, data: bytes):
    remembered = getattr(ColumnMapping.objects.filter(source=upload.source).first(), "columns", None)
    return card.open_table(data, upload.file_name, remembered)


@transaction.atomic
def upload_create(*, actor, source: ReportingSource, uploaded) -> FeedUpload:
    """Store a hospital file and analyse it (preview). Nothing else is written."""
    from safecommunity.archive.services import attachment_create, sha256_of

    require_role(actor, *WRITE_ROLES)
    require_scope(actor, source.org_unit)
    name = uploaded.name or ""
    if not name.lower().endswith(card.EXTENSIONS):
        raise ValidationError({"file": [_("Upload the hospital export as .xlsx, .xls or .csv.")]})
    digest = sha256_of(uploaded)
    earlier = FeedUpload.objects.filter(checksum=digest, source=source, status=S.IMPORTED).first()
    if earlier is not None:
        raise ValidationError({"file": [_("This file was already imported for %(source)s on %(date)s (upload %(id)s): nothing to do.") % {
            "source": source, "date": timezone.localtime(earlier.imported_at).strftime("%Y-%m-%d %H:%M"), "id": earlier.pk}]})
    try:
        attachment = attachment_create(uploaded=uploaded, org_unit=actor.org_unit, actor=actor, role="injury_feed")
    except ValidationError as exc:  # size, type or content of the file: the file field's error
        raise ValidationError({"file": exc.messages}) from exc
    upload = FeedUpload.objects.create(
        org_unit=actor.org_unit, source=source, attachment=attachment, file_name=name[:255], checksum=digest,
        created_by=actor, status=S.MAPPING)
    try:  # the upload read as a file (no copy of it in memory), unless the storage closed it
        uploaded.seek(0)
        data = uploaded
    except (ValueError, OSError):
        data = None  # read back from the storage
    try:
        preview(actor=actor, upload=upload, data=data)
    except card.Unreadable as exc:
        raise ValidationError({"file": [str(exc.args[0])]}) from exc
    return upload


def preview(*, actor, upload: FeedUpload, data=None) -> FeedUpload:
    """Analyse the file: recognise the columns (or ask for a mapping), count ready rows,
    problems, cases per township and probable duplicates. Writes only the upload's summary."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    data = data if data is not None else _data(upload)
    header_row, headers, found, rows = _open(upload, data)
    if not found:
        raise ValidationError({"file": [_("No column of the injury report card was found in the first rows of %(name)s.") % {
            "name": upload.file_name}]})
    upload.header_row = header_row
    upload.columns = {k: headers[i] for k, i in found.items()}
    if card.missing_required(found):
        upload.status = S.MAPPING
        upload.summary = {"headers": headers, "missing": card.missing_required(found)}
        upload.save()
        return upload
    analyser = Analyser(source=upload.source, scope_path=_scope_path(actor), columns=found, headers=headers)
    with staging.Writer(upload, analyser.fingerprint) as stage:
        analysis = analyser.run(analyser.parsed(rows), stage=stage)
    _summary(upload, analysis)
    upload.summary["headers"] = headers
    upload.status = S.PREVIEW
    upload.save()
    return upload


@transaction.atomic
def columns_map(*, actor, upload: FeedUpload, columns: dict[str, str]) -> FeedUpload:
    """The user's column mapping for a file whose headers differ: remembered for the source."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    if upload.status not in (S.MAPPING, S.PREVIEW):
        _transition(upload, S.PREVIEW)
    headers = upload.summary.get("headers") or []
    columns = {k: v for k, v in {**(upload.columns or {}), **columns}.items() if v}
    errors = {}
    for key, header in columns.items():
        if key not in card.BY_KEY:
            errors.setdefault("columns", []).append(_("Unknown card field %(key)s.") % {"key": key})
        elif header not in headers:
            errors[key] = [_("The file has no column “%(header)s”.") % {"header": header}]
    counts = Counter(columns.values())
    for key, header in columns.items():
        if counts[header] > 1:
            errors.setdefault(key, []).append(_("The column “%(header)s” is chosen for two fields.") % {"header": header})
    missing = card.missing_required({k: 0 for k in columns})
    for key in missing:
        errors.setdefault(key, []).append(_("Choose the column that holds %(field)s.") % {"field": card.BY_KEY[key].label})
    if errors:
        raise ValidationError(errors)
    mapping, _created = ColumnMapping.objects.get_or_create(source=upload.source, defaults={"created_by": actor})
    mapping.columns = columns
    mapping.save()
    upload.status = S.MAPPING
    return preview(actor=actor, upload=upload)


@transaction.atomic
def upload_cancel(*, actor, upload: FeedUpload) -> FeedUpload:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    _transition(upload, S.CANCELLED)
    upload.save(update_fields=["status", "updated_at"])
    staging.discard(upload)
    return upload


def _mirror_sources(source: ReportingSource, unit_ids, actor) -> dict[int, int]:
    """A record's source must belong to the record's unit: the hospital is registered (same
    name and kind) in every unit its cases are placed in."""
    result = {source.org_unit_id: source.pk}
    wanted = set(unit_ids) - set(result)
    for sid, uid in ReportingSource.objects.filter(org_unit_id__in=wanted, name=source.name).values_list("id", "org_unit_id"):
        result[uid] = sid
    for uid in wanted - set(result):
        result[uid] = ReportingSource.objects.create(
            org_unit_id=uid, name=source.name, kind_id=source.kind_id, contact=source.contact, created_by=actor).pk
    return result


def _payload(case: Case) -> str:
    return personal.encrypt(json.dumps({
        "occurred_on": case.occurred_on.isoformat(), "occurred_time": case.occurred_time.isoformat() if case.occurred_time else None,
        "age": case.age, "sex": case.sex, "ids": case.ids, "safety_area_id": case.safety_area_id, "name": case.name,
        "id_number": case.id_number, "phone": case.phone}, ensure_ascii=False))


RECORD_FIELDS = ["org_unit_id", "occurred_on", "occurred_time", "age", "age_band", "sex", "safety_area_id", "place_id",
                 "activity_id", "mechanism_id", "intent_id", "nature_id", "body_part_id", "severity_id", "outcome_id",
                 "source_id", "import_batch_id", "place_detail", "name_cipher", "id_number_cipher", "phone_cipher",
                 "created_at", "updated_at", "created_by_id"]
CASE_FIELDS = ["org_unit_id", "upload_id", "source_id", "status", "row", "card_number", "person_key", "occurred_on",
               "mechanism_id", "record_id", "duplicate_of_id", "address", "payload"]


class Writer:
    """Inserts the records and provenance rows of each chunk of cases. For a file (`batch`
    given) the rows go to the database with `core.bulk` (binary COPY on PostgreSQL, multi-row
    INSERTs on SQLite) in a background writer thread, which stores a chunk while the next one is prepared;
    the record ids are reserved first (`bulk.IdBlocks`) and written with the rows, so the
    provenance rows can name their records without reading them back. Use as a context manager
    inside the import's transaction and call `finish()` at the end. An API push (at most 5,000
    cases, no batch) goes through the ORM."""

    def __init__(self, *, actor, upload: FeedUpload, batch: ImportBatch | None):
        self.actor, self.upload, self.batch = actor, upload, batch
        self.actor_id = getattr(actor, "pk", None)
        self.batch_id = batch.pk if batch else None
        self.cipher = personal.BatchCipher()
        self.sources: dict[int, int] = {}
        self.written = 0
        self.counts: Counter = Counter()  # what the records add to the injuries summary table
        self.ids = bulk.IdBlocks(InjuryRecord)
        self.background = bulk.BackgroundWriter(name="feed-import-writer") if batch else None

    def __enter__(self):
        if self.background is not None:
            self.background.__enter__()
            if connection.vendor == "postgresql":  # a binary COPY takes Python values
                self.date, self.time, self.stamp = (lambda d: d), (lambda t: t), timezone.now()
            else:
                ad = bulk.Adapter()
                self.date, self.time, self.stamp = ad.date, ad.time, ad.now
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.background is not None:
            return self.background.__exit__(exc_type, exc, tb)
        return False

    def _values(self, c: Case) -> tuple:
        enc = self.cipher.encrypt
        ids = c.ids
        return (c.unit_id, c.occurred_on, c.occurred_time, c.age, ic.age_band(c.age), c.sex, c.safety_area_id,
                ids["place"], ids["activity"], ids["mechanism"], ids["intent"], ids["nature"],
                ids["body_part"], ids["severity"], ids["outcome"], self.sources[c.unit_id], self.batch_id, "",
                enc(c.name), enc(c.id_number), enc(c.phone))

    def __call__(self, chunk: list[Case]) -> None:
        upload = self.upload
        placed = [c for c in chunk if c.status == FeedCase.Status.IMPORTED]
        missing = {c.unit_id for c in placed} - set(self.sources)
        if missing:
            self.sources.update(_mirror_sources(upload.source, missing, self.actor))
        if self.background is not None:
            self._store_file_chunk(chunk, placed)
        else:  # an API push: the ORM
            records = InjuryRecord.objects.bulk_create(
                [InjuryRecord(**dict(zip(RECORD_FIELDS, self._values(c), strict=False))) for c in placed])
            record_of = {id(c): r.pk for c, r in zip(placed, records, strict=True)}
            bulk.insert(FeedCase, CASE_FIELDS, self._case_rows(chunk, record_of, bulk.Adapter().date))
        self.written += len(placed)
        stat_counts(((c.unit_id, c.occurred_on, c.safety_area_id, ic.age_band(c.age), c.sex, c.ids["mechanism"],
                      c.ids["severity"]) for c in placed), self.counts)

    def _store_file_chunk(self, chunk: list[Case], placed: list[Case]) -> None:
        ids = self.ids.take(len(placed))
        records = [self._record_row(pk, c) for pk, c in zip(ids, placed, strict=True)]
        cases = list(self._case_rows(chunk, {id(c): pk for c, pk in zip(placed, ids, strict=True)}, self.date))

        def store(cursor):
            bulk.insert(InjuryRecord, ["id", *RECORD_FIELDS], records, binary=True, cursor=cursor)
            bulk.insert(FeedCase, CASE_FIELDS, cases, binary=True, cursor=cursor)

        self.background.submit(store)

    def _record_row(self, pk, c: Case) -> tuple:
        v = self._values(c)
        stamp = self.stamp
        return (pk, v[0], self.date(v[1]), self.time(v[2]) if v[2] else None, *v[3:], stamp, stamp, self.actor_id)

    def _case_rows(self, chunk: list[Case], record_of: dict, date_value):
        upload = self.upload
        for c in chunk:
            yield (c.unit_id if c.status != FeedCase.Status.UNPLACED and c.unit_id else upload.org_unit_id, upload.pk,
                   upload.source_id, c.status, c.row, c.card_number, c.key, date_value(c.occurred_on),
                   c.ids["mechanism"], record_of.get(id(c)), c.duplicate_of, c.address,
                   _payload(c) if c.status != FeedCase.Status.IMPORTED else "")

    def finish(self) -> int:
        """Every row written (a failure of the writer raised here), then the summary counts."""
        if self.background is not None:
            self.background.close()
        stats_add(self.counts)
        return self.written


@transaction.atomic
def upload_import(*, actor, upload: FeedUpload) -> FeedUpload:
    """Import the ready rows of a previewed file, all in one transaction. Rows with problems
    stay in the problem file; unplaced cases wait to be placed by hand; duplicates are kept as
    provenance only (counted once)."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    upload = FeedUpload.objects.select_for_update().get(pk=upload.pk)
    _transition(upload, S.IMPORTED)
    headers = upload.summary.get("headers") or []
    found = {k: headers.index(h) for k, h in (upload.columns or {}).items() if h in headers}
    if card.missing_required(found):
        raise ValidationError({"columns": [_("The columns of the file are not all mapped.")]})
    batch = ImportBatch.objects.create(
        org_unit=upload.org_unit, kind=ImportBatch.Kind.RECORDS, attachment=upload.attachment,
        file_name=upload.file_name, checksum=upload.checksum, status=ImportBatch.Status.RUNNING, created_by=actor)
    analyser = Analyser(source=upload.source, scope_path=_scope_path(actor), columns=found, headers=headers)
    staged = staging.read(upload, analyser.fingerprint)
    if staged is None:  # nothing kept from the preview, or the code lists, units or mapping changed
        _hr, headers, found, rows = _open(upload, _data(upload))
        if card.missing_required(found):
            raise ValidationError({"columns": [_("The columns of the file are not all mapped.")]})
        analyser = Analyser(source=upload.source, scope_path=_scope_path(actor), columns=found, headers=headers)
        staged = analyser.parsed(rows)
    with Writer(actor=actor, upload=upload, batch=batch) as writer:
        analysis = analyser.run(staged, sink=writer)
        upload.rows_imported = writer.finish()
    staging.discard(upload)
    _summary(upload, analysis)
    upload.summary["headers"] = headers
    batch.status = ImportBatch.Status.DONE
    batch.total_rows = batch.processed_rows = analysis.rows_read
    batch.imported_rows = upload.rows_imported
    batch.errors = [{"row": r, "column": c, "reason": m} for r, c, m in analysis.problems[:2000]]
    batch.finished_at = timezone.now()
    batch.save()
    upload.import_batch = batch
    upload.imported_at = timezone.now()
    upload.save()
    return upload


def undo_blockers(upload: FeedUpload) -> list[str]:
    """Why the import cannot be undone (empty: it can)."""
    reasons = []
    later = FeedCase.objects.filter(duplicate_of__feed_case__upload=upload).exclude(upload=upload).count()
    if later:
        reasons.append(_("%(n)s case(s) imported later from other sources are counted as duplicates of its cases.") % {"n": later})
    edited = InjuryRecord.objects.filter(feed_case__upload=upload).filter(
        updated_at__gt=F("created_at") + timedelta(seconds=2))
    if edited.exists():
        reasons.append(_("Some of its records have been edited since the import."))
    return reasons


@transaction.atomic
def upload_undo(*, actor, upload: FeedUpload) -> FeedUpload:
    """Remove everything an import wrote: records, provenance, cases waiting to be placed."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    upload = FeedUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who imported this file may undo it."))
    _transition(upload, S.UNDONE)
    blockers = undo_blockers(upload)
    if blockers:
        raise ValidationError({"status": blockers})
    records = InjuryRecord.objects.filter(feed_case__upload=upload)
    pairs = set(records.values_list("org_unit_id", "occurred_on__year"))
    FeedCase.objects.filter(upload=upload).delete()
    token = _UNDOING.set(True)
    try:
        InjuryRecord.objects.filter(pk__in=list(records.values_list("pk", flat=True))).delete()
        if upload.import_batch_id:
            batch = upload.import_batch
            upload.import_batch = None
            InjuryRecord.objects.filter(import_batch=batch).delete()
            batch.delete()
    finally:
        _UNDOING.reset(token)
    from safecommunity.injuries.services import stats_refresh

    stats_refresh(pairs)
    upload.save()
    return upload


def _record_from_payload(case: FeedCase, org_unit: OrgUnit, actor) -> tuple[InjuryRecord, dict]:
    """The (unsaved) injury record of a case kept with its values (unplaced or duplicate)."""
    p = json.loads(personal.decrypt(case.payload))
    ids = p["ids"]
    source_id = _mirror_sources(case.source, {org_unit.pk}, actor)[org_unit.pk]
    record = InjuryRecord(
        org_unit=org_unit, occurred_on=date.fromisoformat(p["occurred_on"]),
        occurred_time=time.fromisoformat(p["occurred_time"]) if p["occurred_time"] else None, age=p["age"],
        age_band=ic.age_band(p["age"]), sex=p["sex"], safety_area_id=p["safety_area_id"], place_id=ids["place"],
        activity_id=ids["activity"], mechanism_id=ids["mechanism"], intent_id=ids["intent"],
        nature_id=ids["nature"], body_part_id=ids["body_part"], severity_id=ids["severity"],
        outcome_id=ids["outcome"], source_id=source_id, import_batch_id=case.upload.import_batch_id)
    return record, p


_UNDOING = contextvars.ContextVar("feeds_undoing", default=False)


def promote_duplicates(record: InjuryRecord) -> None:
    """Before an injury record is deleted: the first probable duplicate that points at it (another
    hospital's report of the same injury) becomes a record in its place, in the same unit, and
    the other duplicates point at that one. Nothing reported is lost. (An undo is refused while
    duplicates point at its records, so it skips this check.)"""
    if _UNDOING.get():
        return
    dups = list(FeedCase.objects.filter(duplicate_of=record).select_related("upload", "source").order_by("pk"))
    if not dups:
        return
    first = dups[0]
    new, p = _record_from_payload(first, record.org_unit, None)
    new.set_personal(name=p["name"], id_number=p["id_number"], phone=p["phone"])
    new.save()
    first.record, first.duplicate_of, first.status, first.payload = new, None, FeedCase.Status.IMPORTED, ""
    first.org_unit_id = record.org_unit_id
    first.save()
    FeedCase.objects.filter(pk__in=[d.pk for d in dups[1:]]).update(duplicate_of=new)


@transaction.atomic
def case_place(*, actor, case: FeedCase, org_unit: OrgUnit) -> FeedCase:
    """Place a case whose address matched no unit: creates its injury record in `org_unit`."""
    from safecommunity.injuries.services import record_save

    require_role(actor, *WRITE_ROLES)
    require_scope(actor, case.org_unit)
    case = FeedCase.objects.select_for_update().get(pk=case.pk)
    if case.status != FeedCase.Status.UNPLACED:
        raise ValidationError({"org_unit": [_("This case has already been placed.")]})
    if org_unit.level != OrgUnit.Level.TOWNSHIP:
        raise ValidationError({"org_unit": [_("Choose a street or township.")]})
    require_scope(actor, org_unit)
    record, p = _record_from_payload(case, org_unit, actor)
    record = record_save(actor=actor, record=record, name=p["name"], id_number=p["id_number"], phone=p["phone"])
    case.record = record
    case.org_unit = org_unit
    case.status = FeedCase.Status.IMPORTED
    case.payload = ""
    case.save()
    return case


# --- API push -------------------------------------------------------------------------------

API_KEYS = {c.key for c in card.COLUMNS}


@transaction.atomic
def push(*, token, cases: list[dict]) -> dict:
    """Cases pushed by a hospital system with its token: all valid or nothing written. Keys are
    the card's field keys (see card.COLUMNS) or its Chinese headers. A case naming another
    source or a unit outside the token's scope is refused."""
    source = token.source
    scope = token.scope_unit
    if not isinstance(cases, list) or not cases:
        raise ValidationError({"cases": [_("Send a non-empty list of cases.")]})
    if len(cases) > 5000:
        raise ValidationError({"cases": [_("Send at most 5000 cases per request.")]})
    keys = [c.key for c in card.COLUMNS]
    columns = {k: i for i, k in enumerate(keys)}
    label_to_key = {card.norm_header(s): c.key for c in card.COLUMNS for s in (c.label, *c.synonyms)}
    rows = []
    for n, item in enumerate(cases, start=1):
        if not isinstance(item, dict):
            raise ValidationError({"cases": [_("Case %(n)s is not an object.") % {"n": n}]})
        if "source" in item and str(item["source"]) not in (str(source.pk), source.name):
            raise PermissionDenied(_("This token may only submit cases of %(source)s.") % {"source": source})
        unit_code = item.get("org_unit")
        if unit_code:
            unit = OrgUnit.objects.filter(code=str(unit_code)).first()
            if unit is None or not unit.path.startswith(scope.path):
                raise PermissionDenied(_("This token may not submit cases for unit %(code)s.") % {"code": unit_code})
        cells = [None] * len(keys)
        for k, v in item.items():
            key = k if k in columns else label_to_key.get(card.norm_header(k))
            if key in columns:
                cells[columns[key]] = v
        rows.append((n, cells))
    upload = FeedUpload.objects.create(org_unit=scope, source=source, channel=FeedUpload.Channel.API,
                                       file_name="", status=S.PREVIEW, columns={k: k for k in keys})
    # A case naming a unit is placed there (inside the token's scope, checked above).
    by_code = dict(OrgUnit.objects.filter(path__startswith=scope.path, level=OrgUnit.Level.TOWNSHIP).values_list("code", "id"))

    def adjust(case: Case) -> None:
        code = cases[case.row - 1].get("org_unit")
        if code and str(code) in by_code:
            case.unit_id = by_code[str(code)]
            if case.status == FeedCase.Status.UNPLACED:
                case.status = FeedCase.Status.IMPORTED

    writer = Writer(actor=None, upload=upload, batch=None)  # no background thread: ORM writes
    analyser = Analyser(source=source, scope_path=scope.path, columns=columns,
                        headers=[c.label for c in card.COLUMNS])
    analysis = analyser.run(analyser.parsed(rows), sink=writer, adjust=adjust)
    if analysis.problems:  # the transaction is rolled back: nothing of this push stays
        raise ValidationError({"cases": [_("Case %(row)s, %(column)s: %(reason)s") % {
            "row": r, "column": col, "reason": m} for r, col, m in analysis.problems[:200]]})
    upload.rows_imported = writer.finish()
    _summary(upload, analysis)
    upload.status = S.IMPORTED
    upload.imported_at = timezone.now()
    upload.save()
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])
    return {"upload": upload.pk, "received": len(cases), "imported": upload.rows_imported,
            "duplicates": upload.rows_duplicate, "already_received": upload.rows_known,
            "to_place_by_hand": upload.rows_unplaced, "other_districts": sum(analysis.elsewhere.values())}


def tally(upload_ids) -> dict:
    """Counts by status of the cases of some uploads (for lists)."""
    out: dict[int, Counter] = defaultdict(Counter)
    for uid, status in FeedCase.objects.filter(upload_id__in=upload_ids).values_list("upload_id", "status"):
        out[uid][status] += 1
    return out


# --- push tokens ----------------------------------------------------------------------------

@transaction.atomic
def token_issue(*, actor, source: ReportingSource, name: str):
    """A push token for `source`; it places cases inside the issuer's own scope. Returns
    (token, clear key) — the key is shown once and only its hash is stored."""
    from .models import FeedToken

    require_role(actor, *WRITE_ROLES)
    require_scope(actor, source.org_unit)
    if not (name or "").strip():
        raise ValidationError({"name": [_("Give the token a name.")]})
    token, key = FeedToken.issue(name=name.strip()[:100], source=source, scope_unit=actor.org_unit, created_by=actor)
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, actor, token) -> None:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, token.source.org_unit)
    token.is_active = False
    token.save(update_fields=["is_active", "updated_at"])
