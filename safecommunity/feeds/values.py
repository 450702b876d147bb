"""Card values → injuries code list items, and the safety area a card case belongs to.

`CARD_CODES` is the one table of the card's coded values (every value of every code list of the
全国伤害监测报告卡, with its number and the spellings seen in exports) and the item codes they
mean; `DEATH_BY_OUTCOME` the card's rule for deaths. A value equal to an item's own name or code
needs no row; the city's own spellings are ValueMapping rows (editable in the UI, seeded with the
card's values by migration 0002), which win."""

import re

from safecommunity.core.models import CodeItem
from safecommunity.injuries import choices as ic

from .models import CODELIST_OF_FIELD, Field, ValueMapping

# THE table: every value of the card's code lists (全国伤害监测报告卡, the 2006 card as hospitals
# print and export it) → the code of the injuries code list item (the stable codes of the WHO
# injury surveillance categories the product counts by). One row per card value:
# (field, number on the card, value as printed, code, other spellings seen in exports).
# A cell may hold the value, its number ("3") or both ("3.故意(暴力、攻击)"). docs/feeds.md shows this
# table; `tests/test_codes.py` checks one row per code. A city adds its own spellings as
# ValueMapping rows (/feeds/values/), which win over this table.
F = Field
CARD_CODES = [
    (F.MECHANISM, 1, "机动车车祸", "motor_vehicle", ("机动车", "车祸")),
    (F.MECHANISM, 2, "非机动车车祸", "non_motor_vehicle", ("非机动车",)),
    (F.MECHANISM, 3, "跌倒/坠落", "fall", ("跌倒", "坠落", "跌伤", "摔伤")),
    (F.MECHANISM, 4, "钝器伤", "blunt", ("钝器",)),
    (F.MECHANISM, 5, "火器伤", "firearm", ("火器",)),
    (F.MECHANISM, 6, "刀/锐器伤", "cut", ("刀锐器", "锐器伤", "刀伤")),
    (F.MECHANISM, 7, "烧烫伤", "burn", ("烧伤", "烫伤")),
    (F.MECHANISM, 8, "窒息/悬吊", "suffocation", ("窒息", "悬吊")),
    (F.MECHANISM, 9, "溺水", "drowning", ()),
    (F.MECHANISM, 10, "中毒", "poisoning", ()),
    (F.MECHANISM, 11, "动物伤", "animal", ("动物咬伤", "犬咬伤", "狗咬伤")),
    (F.MECHANISM, 12, "性侵犯", "sexual_assault", ()),
    (F.MECHANISM, 13, "其他", "other", ("其它",)),
    (F.MECHANISM, 14, "不清楚", "unknown", ("不详", "未知")),
    (F.PLACE, 1, "家中", "home", ("家里", "家庭")),
    (F.PLACE, 2, "公共居住场所", "public_residential", ()),
    (F.PLACE, 3, "学校与公共场所", "school_public", ("学校和公共场所", "学校")),
    (F.PLACE, 4, "体育和运动场所", "sports", ("体育运动场所", "体育场所")),
    (F.PLACE, 5, "公路/街道", "road", ("公路", "街道", "道路")),
    (F.PLACE, 6, "贸易和服务场所", "trade_service", ("贸易服务场所",)),
    (F.PLACE, 7, "工业和建筑场所", "industrial", ("工业建筑场所",)),
    (F.PLACE, 8, "农场/农田", "farm", ("农场", "农田")),
    (F.PLACE, 9, "其他", "other", ("其它",)),
    (F.PLACE, 10, "不清楚", "unknown", ("不详", "未知")),
    (F.ACTIVITY, 1, "工作", "work", ("有偿工作", "工作(有偿)")),
    (F.ACTIVITY, 2, "家务", "housework", ()),
    (F.ACTIVITY, 3, "学习", "study", ()),
    (F.ACTIVITY, 4, "体育活动", "sports", ("体育", "运动")),
    (F.ACTIVITY, 5, "休闲活动", "leisure", ("休闲",)),
    (F.ACTIVITY, 6, "生命活动", "vital", ()),
    (F.ACTIVITY, 7, "驾乘交通工具", "driving", ("驾乘", "乘车", "驾车")),
    (F.ACTIVITY, 8, "步行", "walking", ()),
    (F.ACTIVITY, 9, "其他", "other", ("其它",)),
    (F.ACTIVITY, 10, "不清楚", "unknown", ("不详", "未知")),
    (F.INTENT, 1, "非故意(意外事故)", "unintentional", ("非故意", "意外事故", "意外", "否")),
    (F.INTENT, 2, "自残/自杀", "self_harm", ("自残", "自杀")),
    (F.INTENT, 3, "故意(暴力、攻击)", "assault", ("故意(暴力)", "故意暴力", "故意", "暴力", "攻击", "是")),
    (F.INTENT, 4, "不清楚", "unknown", ("不详", "未知")),
    (F.INTENT, 5, "其他", "other", ("其它",)),
    (F.NATURE, 1, "骨折", "fracture", ()),
    (F.NATURE, 2, "扭伤/拉伤", "sprain", ("扭伤", "拉伤")),
    (F.NATURE, 3, "锐器伤、咬伤、开放伤", "open_wound", ("锐器伤/咬伤/开放伤", "开放伤", "咬伤")),
    (F.NATURE, 4, "挫伤、擦伤", "bruise", ("挫伤/擦伤", "挫伤", "擦伤")),
    (F.NATURE, 5, "烧烫伤", "burn", ("烧伤", "烫伤")),
    (F.NATURE, 6, "脑震荡、脑挫裂伤", "concussion", ("脑震荡/脑挫裂伤", "脑震荡", "脑挫裂伤")),
    (F.NATURE, 7, "器官系统损伤", "organ", ()),
    (F.NATURE, 8, "其他", "other", ("其它",)),
    (F.NATURE, 9, "不清楚", "unknown", ("不详", "未知")),
    (F.BODY_PART, 1, "头部", "head", ("头", "头面部")),
    (F.BODY_PART, 2, "上肢", "upper_limb", ()),
    (F.BODY_PART, 3, "下肢", "lower_limb", ()),
    (F.BODY_PART, 4, "躯干", "trunk", ()),
    (F.BODY_PART, 5, "多部位", "multiple", ("多处",)),
    (F.BODY_PART, 6, "全身广泛受伤", "systemic", ("全身",)),
    (F.BODY_PART, 7, "其他", "other", ("其它",)),
    (F.BODY_PART, 8, "不清楚", "unknown", ("不详", "未知")),
    (F.SEVERITY, 1, "轻度", "mild", ("轻",)),
    (F.SEVERITY, 2, "中度", "moderate", ("中",)),
    (F.SEVERITY, 3, "重度", "severe", ("重",)),
    (F.OUTCOME, 1, "处理后离院", "discharged", ("离院",)),
    (F.OUTCOME, 2, "住院", "hospitalised", ()),
    (F.OUTCOME, 3, "转院", "transferred", ()),
    (F.OUTCOME, 4, "死亡", "death", ()),
    (F.OUTCOME, 5, "其他", "other", ("其它",)),
]
# The card's rule for deaths: its 伤害严重程度 stops at 重度, a death is written as 伤害结局 死亡.
# A case whose outcome is death is stored with the severity death, whatever the severity cell says.
DEATH_BY_OUTCOME = ("outcome", "death", "severity", "death")

# {field: {value: code}} of the card values and spellings (what migration 0002 seeded).
STANDARD: dict = {}
for _field, _number, _value, _code, _aliases in CARD_CODES:
    for _v in (_value, *_aliases):
        STANDARD.setdefault(_field, {}).setdefault(_v, _code)

_NOISE = re.compile(r"[\s\u3000/／、,，()（）\-—_]+")


def norm_value(value: str) -> str:
    return _NOISE.sub("", value or "").lower()


_NUMBERED = re.compile(r"^(\d{1,2})\s*[.．、:：)）]?\s*(.*)$")


def lookups() -> dict[str, dict[str, int]]:
    """{field: {normalised card value: CodeItem id}}: the card's values and numbers (CARD_CODES),
    the code list items' own names and codes, then the city's value mappings (which win)."""
    result: dict[str, dict[str, int]] = {}
    for field, key in CODELIST_OF_FIELD.items():
        table: dict[str, int] = {}
        items = dict(CodeItem.objects.of(key).active().values_list("code", "pk"))
        for f, number, value, code, aliases in CARD_CODES:
            if f == field and code in items:
                for v in (str(number), value, *aliases):
                    table.setdefault(norm_value(v), items[code])
        for pk, code, name in CodeItem.objects.of(key).active().values_list("pk", "code", "name"):
            table[norm_value(code)] = pk
            table[norm_value(name)] = pk
        result[str(field)] = table
    for field, value, item_id in ValueMapping.objects.filter(item__is_active=True).values_list(
            "field", "value", "item_id"):
        result.setdefault(field, {})[norm_value(value)] = item_id
    return result


def resolve(table: dict[str, int], value: str) -> int | None:
    """The item a card cell means: the value, else — for "3.故意(暴力、攻击)" or "3 故意" — the
    value after its card number, else the number alone."""
    key = norm_value(value)
    pk = table.get(key)
    if pk is None:
        m = _NUMBERED.match(value.strip())
        if m and m.group(2):
            pk = table.get(norm_value(m.group(2))) or table.get(m.group(1))
    return pk


def safety_area_code(*, mechanism: str, place: str, activity: str, intent: str, age: int | None) -> str:
    """Which of the 12 safety areas a card case belongs to (the card has no such field).

    Violence → public security; road crashes → traffic; drowning → water; sports → sports;
    work or industrial places → workplace; school places for pupils → school; burns → fire;
    otherwise by age at home (children ≤ 14, elderly ≥ 60) or the public place."""
    if intent == "assault" or mechanism == "sexual_assault":
        return "public_security"
    if mechanism in ("motor_vehicle", "non_motor_vehicle") or place == "road" and activity == "driving":
        return "traffic"
    if mechanism == "drowning":
        return "water"
    if activity == "sports" or place == "sports":
        return "sports"
    if activity == "work" or place in ("industrial", "farm"):
        return "workplace"
    if place == "school_public" and age is not None and 6 <= age <= 18 or activity == "study":
        return "school"
    if mechanism == "burn" and place != "home":
        return "fire"
    if age is not None and age <= 14:
        return "children"
    if age is not None and age >= 60:
        return "elderly"
    if place in ("school_public", "trade_service", "public_residential", "road"):
        return "public_place"
    return "home"


def safety_area_ids() -> dict[str, int]:
    return dict(CodeItem.objects.of(ic.SAFETY_AREA).values_list("code", "pk"))
