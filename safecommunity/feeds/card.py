"""The national injury surveillance report card (全国伤害监测报告卡) as hospitals export it:
its columns and their header synonyms, reading .xlsx/.xls/.csv (UTF-8 or GBK/GB18030), finding
the header row, and tolerant parsing of the ages and dates real exports contain."""

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safecommunity.core.excel import cell_text


@dataclass(frozen=True)
class CardColumn:
    key: str
    label: str  # the card's own header (Chinese, as printed on the card)
    synonyms: tuple[str, ...]
    required: bool = False


# The card's fields. `label` is the standard header; synonyms are the variants seen in exports.
COLUMNS = [
    CardColumn("hospital_code", "医院编号", ("医院代码", "机构编号", "医院编码")),
    CardColumn("card_number", "卡片编号", ("卡片编码", "报告卡编号", "卡号", "编号")),
    CardColumn("id_number", "身份证", ("身份证号", "身份证号码", "证件号码", "公民身份号码")),
    CardColumn("name", "姓名", ("患者姓名", "伤者姓名", "病人姓名")),
    CardColumn("age", "年龄", ("患者年龄", "伤者年龄")),
    CardColumn("birth_date", "出生日期", ("出生年月", "生日")),
    CardColumn("sex", "性别", ("患者性别",), True),
    CardColumn("address", "伤者现住址", ("现住址", "住址", "家庭住址", "居住地址", "现居住地址", "户籍地址"), True),
    CardColumn("phone", "联系电话", ("电话", "联系方式", "手机")),
    CardColumn("visit_date", "就诊日期", ("就诊时间", "就诊日期时间", "首诊日期")),
    CardColumn("occurred", "伤害发生时间", ("伤害发生日期", "发生时间", "受伤时间", "受伤日期")),
    CardColumn("mechanism", "原因", ("伤害原因", "伤害发生原因", "致伤原因"), True),
    CardColumn("place", "地点", ("伤害发生地点", "发生地点"), True),
    CardColumn("activity", "活动", ("伤害发生时活动", "发生时活动", "伤害发生时在做什么"), True),
    CardColumn("intent", "意图", ("是否故意", "伤害意图", "故意与否"), True),
    CardColumn("nature", "性质", ("伤害性质",)),
    CardColumn("body_part", "部位", ("伤害部位", "受伤部位")),
    CardColumn("severity", "严重程度", ("伤害严重程度",), True),
    CardColumn("diagnosis", "临床诊断", ("诊断",)),
    CardColumn("outcome", "结局", ("伤害结局", "转归"), True),
    # not on the card: the product's own quarterly export adds it, so that a file imported back
    # counts every case in the area it was recorded in (else derived: values.safety_area_code)
    CardColumn("safety_area", "安全促进领域", ("安全领域",)),
]
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_KEYS = [c.key for c in COLUMNS if c.required] + ["occurred"]
CODED = ("mechanism", "place", "activity", "intent", "nature", "body_part", "severity", "outcome")
MASK = "*"  # a masked personal value (the product's own exports for users without the right to see it)

_SPACES = re.compile(r"[\s\u3000*＊:：()（）\[\]【】]+")


def norm_header(text) -> str:
    return _SPACES.sub("", str(text or "")).strip()


_SYNONYM_INDEX = {norm_header(s): c.key for c in COLUMNS for s in (c.label, *c.synonyms)}


def recognise(headers: list[str], remembered: dict | None = None) -> dict[str, int]:
    """{card key: column index} for the headers found (a source's remembered mapping first)."""
    found: dict[str, int] = {}
    normed = [norm_header(h) for h in headers]
    if remembered:
        for key, header in remembered.items():
            if key in BY_KEY and header and norm_header(header) in normed:
                found[key] = normed.index(norm_header(header))
    taken = set(found.values())
    for i, h in enumerate(normed):
        key = _SYNONYM_INDEX.get(h)
        if key and key not in found and i not in taken:
            found[key] = i
            taken.add(i)
    return found


def missing_required(found: dict[str, int]) -> list[str]:
    missing = [k for k in REQUIRED_KEYS if k not in found]
    if "age" not in found and "birth_date" not in found and "id_number" not in found:
        missing.append("age")
    return missing


# --- reading files --------------------------------------------------------------------------

EXTENSIONS = (".xlsx", ".xls", ".csv")


class Unreadable(ValueError):
    pass


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable(_("The file is neither UTF-8 nor GBK/GB18030 text."))


def iter_table(data, file_name: str) -> Iterator[list]:
    """Every row of the file's first sheet as a list of cell values, streamed. `data`: the
    file's bytes, or the file itself (binary, seekable; a spreadsheet is then read by calamine
    without a copy of the file in Python). A file past the import limits (core.excel.check_workbook)
    is Unreadable, before any reader opens it."""
    from safecommunity.core.excel import check_workbook

    try:
        check_workbook(data, file_name)
    except ValidationError as exc:
        raise Unreadable("；".join(exc.messages)) from exc
    name = file_name.lower()
    if name.endswith(".csv"):
        text_ = decode_csv(data if isinstance(data, bytes) else data.read())
        sample = text_[:4096]
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        return csv.reader(io.StringIO(text_), delimiter=delimiter)
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data) if isinstance(data, bytes) else data)
        return wb.get_sheet_by_index(0).iter_rows()
    except Exception as exc:  # calamine raises its own error types for broken files
        raise Unreadable(_("The file cannot be read as a spreadsheet (%(error)s).") % {"error": exc}) from exc


def open_table(data, file_name: str, remembered: dict | None = None, scan: int = 10):
    """(header row number (1-based), header cells, recognised columns, iterator over the data rows
    as (row number, cells)). The header is the row among the first few that names the most card
    fields (exports often start with a title line)."""
    rows = iter_table(data, file_name)
    head = []
    try:
        for _i in range(scan):
            head.append(next(rows))
    except StopIteration:
        pass
    except Exception as exc:
        raise Unreadable(_("The file cannot be read as a spreadsheet (%(error)s).") % {"error": exc}) from exc
    best, best_found = 0, {}
    for i, row in enumerate(head):
        found = recognise([cell_text(c) for c in row], remembered)
        if len(found) > len(best_found):
            best, best_found = i, found
    headers = [cell_text(c) for c in head[best]] if head else []
    body = itertools.chain(head[best + 1:], rows)
    numbered = zip(itertools.count(best + 2), body)  # (row number, cells)
    return best + 1, headers, best_found, numbered


# --- cell values ----------------------------------------------------------------------------

_AGE = re.compile(r"^(?:(\d{1,3})\s*(?:岁|周岁))?\s*(?:(\d{1,2})\s*个?月)?\s*(?:(\d{1,3})\s*[天日])?$")
_WHOLE = re.compile(r"^\d{1,3}$")
UNKNOWN_WORDS = {"不详", "不清楚", "未知", "不知道", "-", "--", "/", "无"}


def parse_age(v) -> int | None:
    """Whole years: 45, "45", "45岁", "1岁3月" → 1, "3月"/"3个月"/"10天" → 0. None when unknown.
    Raises ValueError when the value is not an age."""
    if v is None:
        return None
    if isinstance(v, (int, float)):
        if v < 0 or v != v:
            raise ValueError
        return int(v)
    s = cell_text(v)
    if s == "" or s in UNKNOWN_WORDS:
        return None
    if _WHOLE.match(s):
        return int(s)
    m = _AGE.match(s)
    if not m or not any(m.groups()):
        raise ValueError
    years, months, days = m.groups()
    if years is not None:
        return int(years)
    return 0  # months or days: an infant


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*[分秒]?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_datetime(v) -> tuple[date, time | None] | None:
    """(date, time or None), or None for an empty cell. Accepts datetimes, Excel serial numbers,
    2025/3/4, 2025-03-04 14:20, 2025年3月4日, 2025.3.4, 20250304. Raises ValueError otherwise."""
    if v is None:
        return None
    if isinstance(v, datetime):
        t = v.time()
        return v.date(), (t if (t.hour or t.minute or t.second) else None)
    if isinstance(v, date):
        return v, None
    if isinstance(v, timedelta):
        raise ValueError
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 1 <= v < 80000:  # an Excel serial date (days since 1899-12-30), fraction = time
            day = EXCEL_EPOCH + timedelta(days=int(v))
            seconds = round((v - int(v)) * 86400)
            return day, (time(seconds // 3600 % 24, seconds // 60 % 60) if seconds else None)
        v = cell_text(v)
    s = cell_text(v)
    if s == "" or s in UNKNOWN_WORDS:
        return None
    m = _DATE_RE.match(s)
    if m:
        y, mo, d, hh, mm, ss = m.groups()
        day = date(int(y), int(mo), int(d))
        return day, (time(int(hh), int(mm), int(ss or 0)) if hh is not None else None)
    m = _COMPACT.match(s)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3])), None
    try:
        serial = float(s)
    except ValueError:
        raise ValueError(s) from None
    return parse_datetime(serial)


SEX = {"男": "M", "女": "F", "1": "M", "2": "F", "m": "M", "f": "F", "男性": "M", "女性": "F",
       "不详": "U", "未知": "U", "9": "U", "0": "U"}
