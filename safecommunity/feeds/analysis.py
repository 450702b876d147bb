"""Reading a hospital file: the person key, the cases of a file's rows with each row's problems
(`Analyser`), and the counts of a file (`Analysis`). Used by the services at preview and at
import with the same code; nothing here writes but the staging file the caller passes in."""

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safecommunity.core.excel import cell_text
from safecommunity.core.models import CodeItem
from safecommunity.injuries import choices as ic
from safecommunity.injuries import rules
from safecommunity.injuries.models import NilReport, ReportingSource

from . import card, values
from .matching import AddressMatcher
from .models import FeedCase
from .staging import Elsewhere

MAX_PROBLEMS = 20000
CHUNK = 2000

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

    def __init__(self, *, source: ReportingSource, area: str, columns: dict[str, int], headers: list[str]):
        self.source = source
        self.columns = columns
        self.headers = headers
        self.matcher = AddressMatcher(area)
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
            sorted(columns.items()), headers, area, source.pk, self.today.isoformat(),
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
