"""The card's code lists (全国伤害监测报告卡) map to the injuries code lists out of the box: one
test per card value, written out here from the card (not read from the table under test)."""

from pathlib import Path

import pytest

from safecommunity.core.models import CodeItem
from safecommunity.feeds import card, services, values
from safecommunity.feeds import samples as cardfiles
from safecommunity.feeds.models import CODELIST_OF_FIELD
from safecommunity.injuries.models import InjuryRecord

# (field, number on the card, value as printed on the card, expected item code)
CARD = [
    ("mechanism", 1, "机动车车祸", "motor_vehicle"), ("mechanism", 2, "非机动车车祸", "non_motor_vehicle"),
    ("mechanism", 3, "跌倒/坠落", "fall"), ("mechanism", 4, "钝器伤", "blunt"), ("mechanism", 5, "火器伤", "firearm"),
    ("mechanism", 6, "刀/锐器伤", "cut"), ("mechanism", 7, "烧烫伤", "burn"), ("mechanism", 8, "窒息/悬吊", "suffocation"),
    ("mechanism", 9, "溺水", "drowning"), ("mechanism", 10, "中毒", "poisoning"), ("mechanism", 11, "动物伤", "animal"),
    ("mechanism", 12, "性侵犯", "sexual_assault"), ("mechanism", 13, "其他", "other"), ("mechanism", 14, "不清楚", "unknown"),
    ("place", 1, "家中", "home"), ("place", 2, "公共居住场所", "public_residential"),
    ("place", 3, "学校与公共场所", "school_public"), ("place", 4, "体育和运动场所", "sports"), ("place", 5, "公路/街道", "road"),
    ("place", 6, "贸易和服务场所", "trade_service"), ("place", 7, "工业和建筑场所", "industrial"),
    ("place", 8, "农场/农田", "farm"), ("place", 9, "其他", "other"), ("place", 10, "不清楚", "unknown"),
    ("activity", 1, "工作", "work"), ("activity", 2, "家务", "housework"), ("activity", 3, "学习", "study"),
    ("activity", 4, "体育活动", "sports"), ("activity", 5, "休闲活动", "leisure"), ("activity", 6, "生命活动", "vital"),
    ("activity", 7, "驾乘交通工具", "driving"), ("activity", 8, "步行", "walking"), ("activity", 9, "其他", "other"),
    ("activity", 10, "不清楚", "unknown"),
    ("intent", 1, "非故意(意外事故)", "unintentional"), ("intent", 2, "自残/自杀", "self_harm"),
    ("intent", 3, "故意(暴力、攻击)", "assault"), ("intent", 4, "不清楚", "unknown"), ("intent", 5, "其他", "other"),
    ("nature", 1, "骨折", "fracture"), ("nature", 2, "扭伤/拉伤", "sprain"), ("nature", 3, "锐器伤、咬伤、开放伤", "open_wound"),
    ("nature", 4, "挫伤、擦伤", "bruise"), ("nature", 5, "烧烫伤", "burn"), ("nature", 6, "脑震荡、脑挫裂伤", "concussion"),
    ("nature", 7, "器官系统损伤", "organ"), ("nature", 8, "其他", "other"), ("nature", 9, "不清楚", "unknown"),
    ("body_part", 1, "头部", "head"), ("body_part", 2, "上肢", "upper_limb"), ("body_part", 3, "下肢", "lower_limb"),
    ("body_part", 4, "躯干", "trunk"), ("body_part", 5, "多部位", "multiple"), ("body_part", 6, "全身广泛受伤", "systemic"),
    ("body_part", 7, "其他", "other"), ("body_part", 8, "不清楚", "unknown"),
    ("severity", 1, "轻度", "mild"), ("severity", 2, "中度", "moderate"), ("severity", 3, "重度", "severe"),
    ("outcome", 1, "处理后离院", "discharged"), ("outcome", 2, "住院", "hospitalised"), ("outcome", 3, "转院", "transferred"),
    ("outcome", 4, "死亡", "death"), ("outcome", 5, "其他", "other"),
]


@pytest.fixture
def table(db):
    return values.lookups(), {pk: code for pk, code in CodeItem.objects.values_list("pk", "code")}


@pytest.mark.parametrize(("field", "number", "value", "code"), CARD, ids=[f"{f}-{c}" for f, _n, _v, c in CARD])
def test_card_value_maps_by_default(table, field, number, value, code):
    lookups, code_of = table
    for written in (value, str(number), f"{number}.{value}", f"{number} {value}", value.replace("(", "（").replace(")", "）")):
        pk = values.resolve(lookups[field], written)
        assert pk is not None and code_of[pk] == code, written


def test_the_table_is_the_card_and_every_code_has_its_test(db):
    assert [(str(f), n, v, c) for f, n, v, c, _a in values.CARD_CODES] == CARD
    for field, key in CODELIST_OF_FIELD.items():
        codes = {c for f, _n, _v, c, _a in values.CARD_CODES if f == field}
        assert codes <= set(CodeItem.objects.of(key).values_list("code", flat=True)), field


def test_docs_list_every_value_of_the_table():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "feeds.md").read_text(encoding="utf-8")
    for field, number, value, code, _aliases in values.CARD_CODES:
        assert f"| {card.BY_KEY[field].label} | {number} | {value} | `{code}` |" in doc, (field, value)


def _upload(actor, source, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.upload_create(actor=actor, source=source,
                                  uploaded=SimpleUploadedFile("card.xlsx", cardfiles.xlsx_bytes(rows)))


def test_a_death_by_outcome_is_a_death_whatever_the_severity_says(unit_a, hospitals):
    rows = [cardfiles.row(card=f"D{i}", severity=sev, outcome="死亡") for i, sev in enumerate(["重度", "中度", "轻", "", "3"])]
    rows.append(cardfiles.row(card="L1", severity="重度", outcome="住院"))
    upload = _upload(unit_a, hospitals["a"], rows)
    assert (upload.rows_ready, upload.rows_problem) == (6, 0), upload.summary["problems"]
    services.upload_import(actor=unit_a, upload=upload)
    severity = dict(InjuryRecord.objects.values_list("feed_case__card_number", "severity__code"))
    assert severity == {"D0": "death", "D1": "death", "D2": "death", "D3": "death", "D4": "death", "L1": "severe"}
    assert set(InjuryRecord.objects.filter(feed_case__card_number__startswith="D").values_list(
        "outcome__code", flat=True)) == {"death"}


def test_the_cards_own_values_import_without_any_mapping(unit_a, hospitals):
    from safecommunity.feeds.models import ValueMapping

    ValueMapping.objects.all().delete()  # the city's table emptied: the card's values still map
    rows = [cardfiles.row(card="I1", intent="故意(暴力、攻击)"), cardfiles.row(card="I2", intent="3"),
            cardfiles.row(card="I3", intent="1.非故意(意外事故)", nature="锐器伤、咬伤、开放伤", part="全身广泛受伤",
                          cause="窒息/悬吊", place="农场/农田", activity="生命活动", severity="中度", outcome="转院")]
    upload = _upload(unit_a, hospitals["a"], rows)
    assert upload.rows_problem == 0, upload.summary["problems"]
    services.upload_import(actor=unit_a, upload=upload)
    assert dict(InjuryRecord.objects.values_list("feed_case__card_number", "intent__code")) == {
        "I1": "assault", "I2": "assault", "I3": "unintentional"}
