"""The template's columns (records, populations) and the headers each is known by; a file's
header row matched to them; the template workbook and the workbook of errors."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from safecommunity.core.excel import cell_text
from safecommunity.core.models import CodeItem

from .. import choices
from ..models import ImportBatch

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
