"""Excel import of paper questionnaires: one row per questionnaire, one column per question
(headed by its code). Every row is checked; errors name the row and the column; either all rows
are saved or none.

Multiple-choice answers are option values separated by commas. Household questionnaires add two
columns: members ("男35,女33,男8": sex and age of each member) and injuries ("1:跌倒:家中:轻度;…":
member number, cause, place, severity — by code or name of the injury code lists).
"""

import io
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from safecommunity.core.excel import cell_text, check_workbook, workbook_bytes
from safecommunity.core.models import CodeItem
from safecommunity.hazards.imports import ImportResult
from safecommunity.injuries import choices as injury_choices

from . import services
from .models import Question, Questionnaire, Response

MAX_ROWS = 5000
SPLIT = re.compile(r"[,，、;；\s]+")


def fixed_headers(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    out = []
    if questionnaire.asks_sex_and_age:
        out += [("sex", _("Sex")), ("age_band", _("Age band"))]
    if questionnaire.is_household:
        out += [("household_label", _("Household")), ("members", _("Members")), ("injuries", _("Injuries"))]
    return out


def headers(questionnaire: Questionnaire) -> list[str]:
    return [h for _k, h in fixed_headers(questionnaire)] + list(
        questionnaire.questions.values_list("code", flat=True))


def template_bytes(questionnaire: Questionnaire) -> bytes:
    example = []
    for key, _h in fixed_headers(questionnaire):
        example.append({"sex": "女", "age_band": "25-44", "household_label": "A-017", "members": "男35,女33,男8",
                        "injuries": "3:跌倒:家中:轻度"}[key])
    for q in questionnaire.questions.prefetch_related("choices"):
        values = [c.value for c in q.choices.all()]
        example.append(",".join(values[:2]) if q.kind == Question.Kind.MULTIPLE else values[0] if values
                       else ("1" if q.kind == Question.Kind.NUMBER else ""))
    return workbook_bytes([(questionnaire.title[:31], headers(questionnaire), [example])])


def _sex(text: str) -> str:
    return {"男": "M", "m": "M", "male": "M", "女": "F", "f": "F", "female": "F"}.get(text.strip().lower(), "")


def _members(text: str) -> list[tuple[str, int]]:
    out = []
    for part in SPLIT.split(text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"(男|女|[MFmf])\s*(\d{1,3})岁?", part)
        if not m:
            raise ValueError(_("write each member as sex and age, e.g. 男35,女33"))
        out.append((_sex(m.group(1)), int(m.group(2))))
    return out


def _lookup(key):
    table = {}
    for item in CodeItem.objects.of(key):
        table[item.code.lower()] = item.code
        table[item.name.lower()] = item.code
    return table


def _injuries(text: str, tables) -> list[tuple[int, str, str, str]]:
    out = []
    for part in re.split(r"[;；\n]+", text.strip()):
        if not part.strip():
            continue
        bits = [b.strip() for b in re.split(r"[:：]", part)]
        if len(bits) != 4 or not bits[0].isdigit():
            raise ValueError(_("write each injury as member no.:cause:place:severity, e.g. 3:跌倒:家中:轻度"))
        codes = []
        for value, table in zip(bits[1:], tables, strict=True):
            code = table.get(value.lower())
            if code is None:
                raise ValueError(_("“%(value)s” is not in the injury code lists") % {"value": value})
            codes.append(code)
        out.append((int(bits[0]), *codes))
    return out


def import_responses(*, survey_round, data: bytes, actor, file_name: str = "") -> ImportResult:
    result = ImportResult()
    try:  # the guard every import calls before the reader opens the file
        check_workbook(data, file_name, max_rows=MAX_ROWS + 1)
    except ValidationError as exc:
        result.errors.extend(exc.messages)
        return result
    try:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    except Exception:  # noqa: BLE001 - any unreadable file gets the same clear answer
        result.errors.append(_("The file is not a readable Excel workbook (.xlsx)."))
        return result
    q = survey_round.questionnaire
    header = [cell_text(h) for h in rows[0]] if rows else []
    fixed = fixed_headers(q)
    codes = list(q.questions.values_list("code", flat=True))
    missing = [label for _k, label in fixed if label not in header] + [c for c in codes if c not in header]
    if not rows or missing:
        result.errors.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing) or "—"})
        return result
    data_rows = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(cell_text(v) for v in r)]
    if len(data_rows) > MAX_ROWS:
        result.errors.append(_("At most %(n)d rows at a time.") % {"n": MAX_ROWS})
        return result
    col = {h: i for i, h in enumerate(header)}
    tables = [_lookup(k) for k in (injury_choices.MECHANISM, injury_choices.PLACE, injury_choices.SEVERITY)]
    labels = dict(fixed)
    text_codes = set(q.questions.filter(kind=Question.Kind.TEXT).values_list("code", flat=True))

    def cell(row, name):
        i = col.get(name)
        return cell_text(row[i]) if i is not None and i < len(row) else ""

    with transaction.atomic():
        for number, row in data_rows:
            problems = []
            kwargs = {}
            if q.asks_sex_and_age:
                sex = cell(row, labels["sex"])
                kwargs["sex"] = _sex(sex) if sex else ""
                if sex and not kwargs["sex"]:
                    problems.append(f"{labels['sex']}: {_('write 男 or 女')}")
                band = cell(row, labels["age_band"]).replace("岁", "")
                if band and band not in injury_choices.AGE_BAND_CODES:
                    problems.append(f"{labels['age_band']}: {_('one of')} {'、'.join(injury_choices.AGE_BAND_CODES)}")
                kwargs["age_band"] = band
            if q.is_household:
                household = services.Household()
                try:
                    household.members = _members(cell(row, labels["members"]))
                except ValueError as exc:
                    problems.append(f"{labels['members']}: {exc}")
                try:
                    household.injuries = _injuries(cell(row, labels["injuries"]), tables)
                except ValueError as exc:
                    problems.append(f"{labels['injuries']}: {exc}")
                kwargs["household"] = household
                kwargs["household_label"] = cell(row, labels["household_label"])[:100]
            answers = {code: [v for v in SPLIT.split(cell(row, code)) if v] for code in codes}
            for code in text_codes:  # a text answer keeps its spaces and commas
                answers[code] = [cell(row, code)] if cell(row, code) else []
            if not problems:
                try:
                    with transaction.atomic():
                        services.interview_response_submit(survey_round=survey_round, answers=answers, actor=actor,
                                                           channel=Response.Channel.PAPER, **kwargs)
                    result.created += 1
                except ValidationError as exc:
                    for key, messages in (exc.message_dict.items() if hasattr(exc, "error_dict")
                                          else [("", exc.messages)]):
                        name = labels.get(key, key)
                        problems.extend(f"{name}: {m}" if name and not m.startswith(f"{name}:") else m
                                        for m in messages)
                except PermissionDenied as exc:
                    problems.append(str(exc))
            if problems:
                result.errors.append(_("Row %(n)d: %(problems)s") % {"n": number, "problems": "；".join(problems)})
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    return result
