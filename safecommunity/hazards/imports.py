"""Excel import of risk register entries (台账导入): every row is checked, errors name the row
and column, and either all rows are saved or none."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from python_calamine import CalamineWorkbook

from safecommunity.core.excel import cell_text, check_workbook, workbook_bytes
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import Department, OrgUnit

from . import services
from .choices import RegisterKind, RiskLevel

MAX_ROWS = 5000


def columns():
    """(key, header) in sheet order; headers are what a user types, in the active language."""
    return [
        ("kind", _("Register")), ("org_unit", _("Creating unit code")), ("name", _("Name")),
        ("safety_area", _("Safety area")), ("risk_level", _("Risk level")), ("count", _("Number of people")),
        ("address", pgettext("location", "Address")), ("latitude", _("Latitude")), ("longitude", _("Longitude")),
        ("department", _("Supervising department")), ("measures", _("Control measures")),
        ("last_reviewed_on", _("Last reviewed on")),
    ]


# Headers of earlier templates still accepted: the address column was headed 地址 until the
# hazards catalogue's own word (地点) took effect.
HEADER_SYNONYMS = {"address": ("地址",)}


def template_bytes() -> bytes:
    example = [str(RegisterKind.PLACE.label), "500103003", "解放碑步行街人员密集区", "公共场所安全",
               str(RiskLevel.RED.label), "", "解放碑步行街", "29.5578", "106.5771", "", "节假日限流",
               timezone.localdate().isoformat()]
    return workbook_bytes([(_("Risk register entries"), [h for _k, h in columns()], [example])])


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _by_label(choices) -> dict[str, str]:
    out = {}
    for value, label in choices:
        out[str(value).lower()] = value
        out[str(label).lower()] = value
        out[str(label).split("（")[0].split("(")[0].strip().lower()] = value
    return out


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError as exc:
        raise ValueError(_("not a date (use 2026-03-31)")) from exc


def _decimal(value):
    text = cell_text(value)
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise ValueError(_("not a number")) from exc


def risk_entries_import(*, actor, uploaded) -> ImportResult:
    """Read the first sheet of an .xlsx (headers in row 1) and save every row, or nothing."""
    result = ImportResult()
    data = uploaded.read()
    try:
        check_workbook(data, uploaded.name, max_rows=MAX_ROWS + 1)
    except ValidationError as exc:
        result.errors.extend(exc.messages)
        return result
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python()
    except Exception:  # noqa: BLE001 - any unreadable file gets the same clear answer
        result.errors.append(_("The file is not a readable Excel workbook (.xlsx)."))
        return result
    if not rows:
        result.errors.append(_("The sheet is empty."))
        return result
    cols = columns()
    header = [cell_text(h) for h in rows[0]]
    index = {}
    for key, label in cols:
        for name in (str(label), *HEADER_SYNONYMS.get(key, ())):
            if name in header:
                index[key] = header.index(name)
                break
    missing = [str(label) for key, label in cols if key not in index and key in ("kind", "org_unit", "name",
                                                                                 "safety_area", "risk_level")]
    if missing:
        result.errors.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
        return result
    data_rows = [r for r in rows[1:] if any(cell_text(v) for v in r)]
    if len(data_rows) > MAX_ROWS:
        result.errors.append(_("At most %(n)d rows at a time.") % {"n": MAX_ROWS})
        return result
    kinds = _by_label(RegisterKind.choices)
    levels = _by_label(RiskLevel.choices)
    areas = {}
    for item in CodeItem.objects.of("safety_area"):
        for key in (item.code, item.name, item.name_en):
            if key:
                areas[key.lower()] = item
    departments = {}
    for d in Department.objects.all():
        for key in (d.code, d.name, d.full_name):
            if key:
                departments[key.lower()] = d
    units = {u.code: u for u in OrgUnit.objects.visible_to(actor).filter(
        code__in={cell_text(r[index["org_unit"]]) for r in data_rows if len(r) > index["org_unit"]})}
    labels = dict(cols)

    def cell(row, key):
        i = index.get(key)
        return row[i] if i is not None and i < len(row) else None

    with transaction.atomic():
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell_text(v) for v in row):
                continue
            values = {}
            problems = []
            try:
                values["kind"] = kinds.get(cell_text(cell(row, "kind")).lower())
                if not values["kind"]:
                    problems.append(f"{labels['kind']}: {_('unknown')}")
                unit = units.get(cell_text(cell(row, "org_unit")))
                if unit is None:
                    problems.append(f"{labels['org_unit']}: {_('unknown or outside your area')}")
                values["org_unit"] = unit
                values["name"] = cell_text(cell(row, "name"))
                values["safety_area"] = areas.get(cell_text(cell(row, "safety_area")).lower())
                if values["safety_area"] is None:
                    problems.append(f"{labels['safety_area']}: {_('unknown')}")
                values["risk_level"] = levels.get(cell_text(cell(row, "risk_level")).lower(), "")
                count = cell_text(cell(row, "count"))
                values["count"] = int(count) if count.isdigit() else None
                if count and not count.isdigit():
                    problems.append(f"{labels['count']}: {_('not a whole number')}")
                values["address"] = cell_text(cell(row, "address"))
                for key in ("latitude", "longitude"):
                    try:
                        values[key] = _decimal(cell(row, key))
                    except ValueError as exc:
                        problems.append(f"{labels[key]}: {exc}")
                dept = cell_text(cell(row, "department"))
                values["department"] = departments.get(dept.lower()) if dept else None
                if dept and values["department"] is None:
                    problems.append(f"{labels['department']}: {_('unknown')}")
                values["measures"] = cell_text(cell(row, "measures"))
                try:
                    values["last_reviewed_on"] = _date(cell(row, "last_reviewed_on")) or services.local_today()
                except ValueError as exc:
                    problems.append(f"{labels['last_reviewed_on']}: {exc}")
                if not problems:
                    with transaction.atomic():
                        services.risk_entry_save(actor=actor, **values)
                    result.created += 1
            except ValidationError as exc:
                for key, messages in (exc.message_dict.items() if hasattr(exc, "error_dict")
                                      else [("", exc.messages)]):
                    name = labels.get(key, key)
                    problems.extend(f"{name}: {m}" if name else m for m in messages)
            except PermissionDenied as exc:
                problems.append(str(exc))
            if problems:
                result.errors.append(_("Row %(n)d: %(problems)s") % {"n": number, "problems": "；".join(problems)})
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    return result
