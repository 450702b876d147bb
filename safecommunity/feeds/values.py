"""Card values → injuries code list items, and the safety area a card case belongs to.

The national card's standard values ship as ValueMapping rows (migration 0002, editable in the
UI); a value that matches a code list item's own name or code needs no mapping row."""

import re

from safecommunity.core.models import CodeItem
from safecommunity.injuries import choices as ic

from .models import CODELIST_OF_FIELD, Field, ValueMapping

# The card's standard values (DOMAIN.md §5) and common variants → item codes of the injuries lists.
STANDARD = {
    Field.MECHANISM: {
        "机动车车祸": "motor_vehicle", "非机动车车祸": "non_motor_vehicle", "跌倒坠落": "fall", "跌倒": "fall",
        "坠落": "fall", "钝器": "blunt", "钝器伤": "blunt", "火器": "firearm", "火器伤": "firearm",
        "刀锐器": "cut", "刀锐器伤": "cut", "烧烫伤": "burn", "窒息悬吊": "suffocation", "溺水": "drowning",
        "中毒": "poisoning", "动物伤": "animal", "性侵犯": "sexual_assault", "其他": "other", "不清楚": "unknown",
    },
    Field.PLACE: {
        "家中": "home", "公共居住场所": "public_residential", "学校与公共场所": "school_public",
        "体育运动场所": "sports", "体育和运动场所": "sports", "公路街道": "road", "贸易服务场所": "trade_service",
        "贸易和服务场所": "trade_service", "工业建筑场所": "industrial", "工业和建筑场所": "industrial",
        "农场农田": "farm", "其他": "other", "不清楚": "unknown",
    },
    Field.ACTIVITY: {
        "工作": "work", "有偿工作": "work", "家务": "housework", "学习": "study", "体育": "sports",
        "体育活动": "sports", "休闲": "leisure", "休闲活动": "leisure", "生命活动": "vital",
        "驾乘交通工具": "driving", "步行": "walking", "其他": "other", "不清楚": "unknown",
    },
    Field.INTENT: {
        "非故意": "unintentional", "否": "unintentional", "意外": "unintentional", "自残自杀": "self_harm",
        "自残": "self_harm", "自杀": "self_harm", "故意暴力": "assault", "故意": "assault", "暴力": "assault",
        "是": "assault", "不清楚": "unknown", "其他": "other",
    },
    Field.NATURE: {
        "骨折": "fracture", "扭伤拉伤": "sprain", "扭伤": "sprain", "锐器伤咬伤开放伤": "open_wound",
        "开放伤": "open_wound", "挫伤擦伤": "bruise", "挫伤": "bruise", "擦伤": "bruise", "烧烫伤": "burn",
        "脑震荡脑挫裂伤": "concussion", "脑震荡": "concussion", "器官系统损伤": "organ", "其他": "other",
        "不清楚": "unknown",
    },
    Field.BODY_PART: {
        "头部": "head", "上肢": "upper_limb", "下肢": "lower_limb", "躯干": "trunk", "多部位": "multiple",
        "全身广泛受伤": "systemic", "全身": "systemic", "其他": "other", "不清楚": "unknown",
    },
    Field.SEVERITY: {"轻": "mild", "轻度": "mild", "中": "moderate", "中度": "moderate", "重": "severe",
                     "重度": "severe", "死亡": "death"},
    Field.OUTCOME: {
        "处理后离院": "discharged", "离院": "discharged", "住院": "hospitalised", "转院": "transferred",
        "死亡": "death", "其他": "other", "痊愈": "recovered",
    },
}

_NOISE = re.compile(r"[\s\u3000/／、,，()（）\-—_]+")


def norm_value(value: str) -> str:
    return _NOISE.sub("", value or "").lower()


def lookups() -> dict[str, dict[str, int]]:
    """{field: {normalised card value: CodeItem id}}: code list names and codes, then the
    mapping table (which wins)."""
    result: dict[str, dict[str, int]] = {}
    for field, key in CODELIST_OF_FIELD.items():
        table: dict[str, int] = {}
        for pk, code, name in CodeItem.objects.of(key).active().values_list("pk", "code", "name"):
            table[norm_value(code)] = pk
            table[norm_value(name)] = pk
        result[str(field)] = table
    for field, value, item_id in ValueMapping.objects.filter(item__is_active=True).values_list(
            "field", "value", "item_id"):
        result.setdefault(field, {})[norm_value(value)] = item_id
    return result


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
