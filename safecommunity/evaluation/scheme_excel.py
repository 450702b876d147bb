"""A scoring scheme as an Excel workbook: the template the city office fills in with its official
table, the reader that checks an uploaded table as one unit, and the export of any scheme back
to the same template.

Workbook layout (sheet order matters, headers are for people):
1. Scheme — one setting per row: code, name, purpose, declared total, pass mark, rectification
   mark, zero-item rule, grade percentages a/b/c/d, description.
2. Items — element code (E01–E12), number, first-level item, item text, evidence expected,
   points of the presence (有无), evidence (痕迹) and effect (效果) parts, parts that apply.
3. Notes — how to fill it in, and the element codes.

Writing goes through `core.excel.workbook_bytes`; reading uses python-calamine, as the other
importers of the product do (hazards.imports, injuries.importer).
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safecommunity.core.excel import cell_text, check_workbook, workbook_bytes

from .models import PARTS, PLACEHOLDER, Scheme, _num

MAX_ITEMS = 500
ELEMENT_CODES = [f"E{n:02d}" for n in range(1, 13)]


def setting_rows() -> list[tuple[str, str]]:
    """(key, label) of the Scheme sheet, in order."""
    return [
        ("code", _("Scheme code (letters, digits, hyphens)")), ("name", _("Scheme name")),
        ("purpose", _("Purpose")), ("declared_total", _("Total points")), ("pass_total", _("Pass at total ≥")),
        ("rectify_total", _("Pass after rectification at total ≥ (empty: none)")),
        ("zero_item_fails", _("An item scored 0 fails (yes/no)")),
        ("grade_a_pct", _("Grade a (%)")), ("grade_b_pct", _("Grade b (%)")), ("grade_c_pct", _("Grade c (%)")),
        ("grade_d_pct", _("Grade d (%)")), ("description", _("Description")),
    ]


def part_labels() -> dict[str, str]:
    return {"presence": _("Presence"), "evidence": _("Evidence"), "effect": _("Effect")}


def item_headers() -> list[str]:
    labels = part_labels()
    return [_("Element code"), _("No."), _("First-level item"), _("Item text"), _("Evidence expected"),
            _("%(part)s points") % {"part": labels["presence"]}, _("%(part)s points") % {"part": labels["evidence"]},
            _("%(part)s points") % {"part": labels["effect"]}, _("Parts that apply")]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _parts_text(parts) -> str:
    labels = part_labels()
    return "/".join(labels[p] for p in parts)


def workbook(scheme: Scheme | None = None) -> bytes:
    """The template (scheme=None: the national rule and one example row) or a scheme exported to it."""
    from safecommunity.core.models import CodeItem

    if scheme is None:
        values = {"code": "my-scheme", "name": _("Scoring scheme"), "purpose": str(Scheme.Purpose.CITY.label),
                  "declared_total": 150.0, "pass_total": 100.0, "rectify_total": 75.0,
                  "zero_item_fails": _yes_no(True), "grade_a_pct": 100, "grade_b_pct": 70, "grade_c_pct": 30,
                  "grade_d_pct": 0, "description": ""}
        items = [["E01", 1, "", _("(item text of the official table)"), _("(documents the experts look for)"),
                  0.8, 1.0, 1.2, _parts_text(PARTS)]]
    else:
        values = {"code": scheme.family or scheme.code, "name": scheme.name, "purpose": scheme.get_purpose_display(),
                  "declared_total": float(scheme.declared_total) if scheme.declared_total is not None else None,
                  "pass_total": float(scheme.pass_total),
                  "rectify_total": float(scheme.rectify_total) if scheme.rectify_total is not None else None,
                  "zero_item_fails": _yes_no(scheme.zero_item_fails), "grade_a_pct": scheme.grade_a_pct,
                  "grade_b_pct": scheme.grade_b_pct, "grade_c_pct": scheme.grade_c_pct,
                  "grade_d_pct": scheme.grade_d_pct, "description": scheme.description}
        items = [[i.element.code if i.element_id else "", i.number, i.heading, i.text, i.expected_evidence,
                  float(i.presence_points), float(i.evidence_points), float(i.effect_points), _parts_text(i.parts)]
                 for i in scheme.items.select_related("element")]
    settings_rows = [[label, values[key]] for key, label in setting_rows()]
    notes = [[_("Fill in the Scheme sheet, then one row per item on the Items sheet.")],
             [_("A part that does not apply (e.g. an item without an evidence part) has 0 points and is left out "
                "of “Parts that apply”.")],
             [_("The items' points must add up to the total; every element needs at least one item; numbers "
                "must be unique.")],
             [_("A scheme already used by an application is never changed: uploading it again makes a new version.")],
             [""], [_("Element codes")]]
    notes += [[f"{c.code} {c.name}"] for c in CodeItem.objects.of("aqt_element").order_by("sort_order", "code")]
    return workbook_bytes([(_("Scheme"), [_("Setting"), _("Value")], settings_rows),
                           (pgettext("scheme template", "Items"), item_headers(), items),
                           (pgettext("scheme template", "Notes"), [_("How to fill in the template")], notes)])


# ---------------------------------------------------------------- reading

@dataclass
class ParsedScheme:
    settings: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _decimal(v) -> Decimal | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        return Decimal(repr(v) if isinstance(v, float) else str(v).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValueError from None


def _parts(text: str) -> set[str] | None:
    labels = {str(v).lower(): k for k, v in part_labels().items()}
    labels.update({k: k for k in PARTS})
    out = set()
    for token in re.split(r"[/、,，;；\s]+", text.strip().lower()):
        if not token:
            continue
        if token not in labels:
            return None
        out.add(labels[token])
    return out


def _sheet_rows(data: bytes) -> tuple[list[list], list[list]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    if len(wb.sheet_names) < 2:
        raise ValueError
    return (wb.get_sheet_by_index(0).to_python(skip_empty_area=False),
            wb.get_sheet_by_index(1).to_python(skip_empty_area=False))


def parse(data: bytes) -> ParsedScheme:
    """Read and check an uploaded table as one unit; every problem names its sheet and row."""
    out = ParsedScheme()
    err = out.errors.append
    try:
        check_workbook(data, "scheme.xlsx", max_rows=5000)
    except ValidationError as exc:  # a sheet past the import limits is never handed to the reader
        for message in exc.messages:
            err(message)
        return out
    try:
        setting_sheet, item_sheet = _sheet_rows(data)
    except Exception:  # calamine raises its own error types for a file that is not a workbook
        err(_("The file is not a scheme workbook (.xlsx with the Scheme and Items sheets of the template)."))
        return out
    scheme_sheet, items_sheet = _("Scheme"), pgettext("scheme template", "Items")

    # Scheme sheet: by label, else by position.
    by_label = {str(label).strip(): key for key, label in setting_rows()}
    raw = {}
    for n, row in enumerate(setting_sheet[1:], start=2):
        if not row or not cell_text(row[0]):
            continue
        key = by_label.get(cell_text(row[0]))
        if key is None and n - 2 < len(setting_rows()):
            key = setting_rows()[n - 2][0]
        if key:
            raw[key] = (n, row[1] if len(row) > 1 else None)
    s = out.settings

    def at(key):
        return raw.get(key, (None, None))

    def where(key):
        row = at(key)[0]
        label = dict(setting_rows())[key]
        return (_("%(sheet)s sheet, row %(row)s (%(label)s)") % {"sheet": scheme_sheet, "row": row, "label": label}
                if row else _("%(sheet)s sheet, “%(label)s”") % {"sheet": scheme_sheet, "label": label})

    s["code"] = cell_text(at("code")[1]).lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,33}", s["code"]):
        err(_("%(where)s: give a code of letters, digits and hyphens (at most 34).") % {"where": where("code")})
    s["name"] = cell_text(at("name")[1])
    if not s["name"]:
        err(_("%(where)s: give the scheme's name.") % {"where": where("name")})
    purpose = cell_text(at("purpose")[1])
    s["purpose"] = next((v for v, label in Scheme.Purpose.choices if purpose in (v, str(label))), None)
    if s["purpose"] is None:
        err(_("%(where)s: choose one of %(choices)s.") % {
            "where": where("purpose"), "choices": "、".join(str(label) for _v, label in Scheme.Purpose.choices)})
    for key in ("declared_total", "pass_total", "rectify_total"):
        try:
            s[key] = _decimal(at(key)[1])
        except ValueError:
            s[key] = None
            err(_("%(where)s: “%(value)s” is not a number.") % {"where": where(key), "value": cell_text(at(key)[1])})
            continue
        if s[key] is None and key != "rectify_total":
            err(_("%(where)s: give a number.") % {"where": where(key)})
    total, pass_total, rectify = s.get("declared_total"), s.get("pass_total"), s.get("rectify_total")
    if total is not None and total <= 0:
        err(_("%(where)s: the total must be greater than 0.") % {"where": where("declared_total")})
    if total is not None and pass_total is not None and not (0 < pass_total <= total):
        err(_("%(where)s: the pass mark %(p)s must lie between 0 and the total %(t)s.") % {
            "where": where("pass_total"), "p": _num(pass_total), "t": _num(total)})
    if rectify is not None and pass_total is not None and not (0 < rectify <= pass_total):
        err(_("%(where)s: the rectification mark %(r)s must lie between 0 and the pass mark %(p)s.") % {
            "where": where("rectify_total"), "r": _num(rectify), "p": _num(pass_total)})
    zero = cell_text(at("zero_item_fails")[1]).lower()
    s["zero_item_fails"] = zero not in (_("no").lower(), "no", "否", "0", "false")
    pcts = []
    for key in ("grade_a_pct", "grade_b_pct", "grade_c_pct", "grade_d_pct"):
        try:
            value = _decimal(at(key)[1])
        except ValueError:
            value = None
        if value is None or value != value.to_integral() or not 0 <= value <= 100:
            err(_("%(where)s: give a whole percentage from 0 to 100.") % {"where": where(key)})
            value = Decimal(0)
        s[key] = int(value)
        pcts.append(int(value))
    if pcts != sorted(pcts, reverse=True):
        err(_("%(sheet)s sheet: grade percentages must fall from a to d.") % {"sheet": scheme_sheet})
    s["description"] = cell_text(at("description")[1])

    # Items sheet.
    from safecommunity.core.models import CodeItem

    elements = {c.code: c for c in CodeItem.objects.of("aqt_element")}
    seen: dict[int, int] = {}
    body = [(n, row) for n, row in enumerate(item_sheet[1:], start=2) if any(cell_text(c) for c in row)]
    if not body:
        err(_("%(sheet)s sheet: there are no items.") % {"sheet": items_sheet})
    if len(body) > MAX_ITEMS:
        err(_("%(sheet)s sheet: at most %(n)s items.") % {"sheet": items_sheet, "n": MAX_ITEMS})
        body = body[:MAX_ITEMS]
    point_sum = Decimal(0)
    for n, row in body:
        row = list(row) + [None] * (9 - len(row))
        here = _("%(sheet)s sheet, row %(row)s") % {"sheet": items_sheet, "row": n}
        problems = []
        code = cell_text(row[0]).upper()[:3]
        if code not in elements:
            problems.append(_("element “%(v)s” is not one of E01–E12") % {"v": cell_text(row[0])})
        number = None
        try:
            number = int(Decimal(cell_text(row[1])))
            if number <= 0 or Decimal(cell_text(row[1])) != number:
                raise ValueError
        except (InvalidOperation, ValueError):
            problems.append(_("the number “%(v)s” is not a whole number above 0") % {"v": cell_text(row[1])})
            number = None
        if number is not None:
            if number in seen:
                problems.append(_("number %(n)s is used twice (rows %(a)s and %(b)s)") % {
                    "n": number, "a": seen[number], "b": n})
            else:
                seen[number] = n
        text = cell_text(row[3])
        if not text:
            problems.append(_("the item text is empty"))
        points = {}
        for part, cell in zip(PARTS, row[5:8], strict=True):
            try:
                value = _decimal(cell)
            except ValueError:
                problems.append(_("%(part)s points “%(v)s” is not a number") % {
                    "part": part_labels()[part], "v": cell_text(cell)})
                value = None
            if value is not None and value < 0:
                problems.append(_("%(part)s points cannot be negative") % {"part": part_labels()[part]})
            points[part] = value or Decimal(0)
        applies = _parts(cell_text(row[8])) if cell_text(row[8]) else {p for p in PARTS if points[p] > 0}
        if applies is None:
            problems.append(_("“%(v)s” under Parts that apply: write %(parts)s, separated by /") % {
                "v": cell_text(row[8]), "parts": _parts_text(PARTS)})
        else:
            for part in PARTS:
                if part in applies and points[part] <= 0:
                    problems.append(_("the %(part)s part applies but has no points") % {"part": part_labels()[part]})
                if part not in applies and points[part] > 0:
                    problems.append(_("the %(part)s part does not apply but has %(p)s points") % {
                        "part": part_labels()[part], "p": _num(points[part])})
        if sum(points.values()) <= 0 and not problems:
            problems.append(_("the item has no points"))
        for p in problems:
            err(f"{here}：{p}。")
        point_sum += sum(points.values())
        out.items.append({
            "element": elements.get(code), "number": number, "heading": cell_text(row[2])[:100], "text": text,
            "expected_evidence": cell_text(row[4])[:300], "is_placeholder": PLACEHOLDER in text,
            "presence_points": points["presence"], "evidence_points": points["evidence"],
            "effect_points": points["effect"],
        })
    if total is not None and body and point_sum != total:
        err(_("The items' points add up to %(sum)s, not the declared total %(total)s.") % {
            "sum": _num(point_sum), "total": _num(total)})
    if s.get("purpose") in (Scheme.Purpose.NATIONAL, Scheme.Purpose.CITY) and body:
        covered = {i["element"].code for i in out.items if i["element"] is not None}
        for code in ELEMENT_CODES:
            if code not in covered and code in elements:
                err(_("Element %(code)s %(name)s has no item: every element of AQ/T 9001 needs at least one.") % {
                    "code": code, "name": elements[code].name})
    return out
