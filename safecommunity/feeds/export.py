"""The CDC's quarterly export (季度报送): county CDCs collect the report cards monthly and report
quarterly, so a district (or unit, or the city) exports a quarter's injury records in the layout
of the national injury report card — the card's columns in the card's order, its values as
printed on the card (`values.CARD_CODES`), plus one column the card lacks, 安全促进领域, so that
the file imported back through the feeds gives the same figures. Personal fields follow the
user's rights (`InjuryRecord.personal_for`: clear for the recording unit, masked otherwise).
.xlsx, or .csv in UTF-8 (with BOM) or GBK (written as GB18030, its superset)."""

import csv
import io
from datetime import date

from safecommunity.core.excel import workbook_bytes
from safecommunity.core.models import CodeItem
from safecommunity.injuries import choices as ic
from safecommunity.injuries.models import InjuryRecord
from safecommunity.orgunits.models import OrgUnit

from . import card, values

FIELDS = ("mechanism", "place", "activity", "intent", "nature", "body_part", "severity", "outcome")
# the card's columns in the card's order (as hospitals export them), then the product's own
KEYS = ["hospital_code", "card_number", "id_number", "name", "age", "sex", "address", "phone", "visit_date", "occurred",
        "mechanism", "place", "activity", "intent", "nature", "body_part", "severity", "diagnosis", "outcome",
        "safety_area"]
HEADERS = [card.BY_KEY[k].label for k in KEYS]
SEX = {"M": "男", "F": "女", "U": "不详"}
FORMATS = ("xlsx", "csv")
ENCODINGS = {"utf-8": "utf-8-sig", "gbk": "gb18030"}


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of the quarter."""
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _card_value() -> dict[tuple[str, str], str]:
    """(field, item code) → the value as printed on the card (the first row of the table)."""
    out: dict[tuple[str, str], str] = {}
    for field, _number, value, code, _aliases in values.CARD_CODES:
        out.setdefault((str(field), code), value)
    # the card's severity stops at 重度: a death is 重度 with the outcome 死亡 (values.DEATH_BY_OUTCOME)
    out[("severity", ic.SEVERITY_DEATH)] = out[("severity", "severe")]
    return out


def _addresses(unit_ids) -> dict[int, str]:
    """Unit id → "重庆市渝中区解放碑街道": the names from the city down, which the feeds' address
    matcher places back in the same unit."""
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=set(unit_ids))}
    names: dict[int, tuple[str, int | None, str]] = {}
    wanted = set(units)
    while wanted:
        for pk, name, parent, level in OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name", "parent_id",
                                                                                          "level"):
            names[pk] = (name, parent, level)
        wanted = {p for _n, p, _l in names.values() if p and p not in names}
    out = {}
    for pk in units:
        chain, node = [], pk
        while node:
            name, parent, _level = names[node]
            chain.append(name)
            node = parent
        out[pk] = "".join(reversed(chain))
    return out


def rows(user, records) -> list[list]:
    """The card's cells of each record (in the order of `HEADERS`)."""
    records = list(records.order_by("occurred_on", "occurred_time", "pk"))
    items = dict((pk, (code, name)) for pk, code, name in CodeItem.objects.filter(
        codelist__key__in=[*values.CODELIST_OF_FIELD.values(), ic.SAFETY_AREA]).values_list("pk", "code", "name"))
    printed = _card_value()
    address = _addresses(r.org_unit_id for r in records)
    source_codes = {}
    out = []
    for r in records:
        personal = r.personal_for(user) if r.has_personal else {"name": "", "id_number": "", "phone": ""}
        coded = {}
        for field in FIELDS:
            item = items.get(getattr(r, f"{field}_id"))
            coded[field] = "" if item is None else printed.get((field, item[0]), item[1])
        when = r.occurred_on.strftime("%Y-%m-%d") + (r.occurred_time.strftime(" %H:%M") if r.occurred_time else "")
        source_codes.setdefault(r.source_id, f"S{r.source_id}" if r.source_id else "")
        cells = {
            "hospital_code": source_codes[r.source_id], "card_number": f"SC{r.pk}", "id_number": personal["id_number"],
            "name": personal["name"], "age": "" if r.age is None else r.age, "sex": SEX.get(r.sex, "不详"),
            "address": address.get(r.org_unit_id, ""), "phone": personal["phone"], "visit_date": "", "occurred": when,
            "diagnosis": "", "safety_area": items.get(r.safety_area_id, ("", ""))[1], **coded,
        }
        out.append([cells[k] for k in KEYS])
    return out


def records_of(user, start: date, end: date):
    return InjuryRecord.objects.visible_to(user).filter(occurred_on__gte=start, occurred_on__lte=end)


def export_bytes(user, *, year: int, quarter: int, fmt: str = "xlsx", encoding: str = "utf-8") -> bytes:
    start, end = quarter_range(year, quarter)
    data = rows(user, records_of(user, start, end))
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(HEADERS)
        writer.writerows(data)
        return buf.getvalue().encode(ENCODINGS[encoding], errors="replace")
    return workbook_bytes([("伤害监测报告卡", HEADERS, data)])
