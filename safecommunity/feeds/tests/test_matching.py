"""Placing cases by address with the real names of Chongqing: every pair of townships whose
name (full or short) lies inside another's full name, both ways, with and without the district."""

import csv

import pytest

from safecommunity.feeds.matching import AddressMatcher, short_name
from safecommunity.orgunits.models import OrgUnit
from safecommunity.orgunits.services import DIVISIONS_CSV, divisions_load

# (township A, township B): a name of A (full or short) lies inside B's full name. Computed from
# the divisions file by contained_pairs() below, and listed here so that a change of the data shows.
PAIRS = [
    ("500101123", "500240214"),  # 万州区新乡镇 ⊂ 石柱土家族自治县洗新乡
    ("500101137", "500102208"),  # 万州区武陵镇 ⊂ 涪陵区武陵山乡
    ("500101147", "500108006"),  # 万州区弹子镇 ⊂ 南岸区弹子石街道
    ("500102009", "500105002"),  # 涪陵区江北街道 ⊂ 江北区江北城街道
    ("500102012", "500103013"),  # 涪陵区龙桥街道 ⊂ 渝中区化龙桥街道
    ("500102012", "500236277"),  # 涪陵区龙桥街道 ⊂ 奉节县龙桥土家族乡
    ("500102120", "500241005"),  # 涪陵区清溪镇 ⊂ 秀山土家族苗族自治县清溪场街道
    ("500106112", "500107006"),  # 沙坪坝区中梁镇 ⊂ 九龙坡区中梁山街道
    ("500107009", "500154113"),  # 九龙坡区九龙街道 ⊂ 开州区九龙山镇
    ("500109008", "500235242"),  # 北碚区水土街道 ⊂ 云阳县清水土家族乡
    ("500111107", "500105003"),  # 大足区石马镇 ⊂ 江北区石马河街道
    ("500111109", "500106106"),  # 大足区回龙镇 ⊂ 沙坪坝区回龙坝镇
    ("500111117", "500105009"),  # 大足区铁山镇 ⊂ 江北区铁山坪街道
    ("500112012", "500154113"),  # 渝北区龙山街道 ⊂ 开州区九龙山镇
    ("500112016", "500103004"),  # 渝北区两路街道 ⊂ 渝中区两路口街道
    ("500114124", "500105007"),  # 黔江区五里镇 ⊂ 江北区五里店街道
    ("500115127", "500112002"),  # 长寿区双龙镇 ⊂ 渝北区双龙湖街道
    ("500115131", "500108004"),  # 长寿区海棠镇 ⊂ 南岸区海棠溪街道
    ("500116112", "500109006"),  # 江津区蔡家镇 ⊂ 北碚区蔡家岗街道
    ("500116113", "500118001"),  # 江津区中山镇 ⊂ 永川区中山路街道
    ("500117007", "500105004"),  # 合川区大石街道 ⊂ 江北区大石坝街道
    ("500117107", "500109005"),  # 合川区龙凤镇 ⊂ 北碚区龙凤桥街道
    ("500117107", "500241120"),  # 合川区龙凤镇 ⊂ 秀山土家族苗族自治县龙凤坝镇
    ("500117112", "500112017"),  # 合川区双凤镇 ⊂ 渝北区双凤桥街道
    ("500117117", "500154205"),  # 合川区三汇镇 ⊂ 开州区三汇口乡
    ("500117124", "500236272"),  # 合川区太和镇 ⊂ 奉节县太和土家族乡
    ("500151124", "500119106"),  # 铜梁区太平镇 ⊂ 南川区太平场镇
    ("500151124", "500230206"),  # 铜梁区太平镇 ⊂ 丰都县太平坝乡
    ("500153004", "500101019"),  # 荣昌区双河街道 ⊂ 万州区双河口街道
    ("500153004", "500113110"),  # 荣昌区双河街道 ⊂ 巴南区双河口镇
    ("500154104", "500109003"),  # 开州区温泉镇 ⊂ 北碚区北温泉街道
    ("500154104", "500113114"),  # 开州区温泉镇 ⊂ 巴南区东温泉镇
    ("500154105", "500105008"),  # 开州区郭家镇 ⊂ 江北区郭家沱街道
    ("500154203", "500113111"),  # 开州区麻柳乡 ⊂ 巴南区麻柳嘴镇
    ("500155001", "500107006"),  # 梁平区梁山街道 ⊂ 九龙坡区中梁山街道
    ("500155114", "500106106"),  # 梁平区回龙镇 ⊂ 沙坪坝区回龙坝镇
    ("500155117", "500103001"),  # 梁平区七星镇 ⊂ 渝中区七星岗街道
    ("500155118", "500108005"),  # 梁平区龙门镇 ⊂ 南岸区龙门浩街道
    ("500155124", "500119117"),  # 梁平区竹山镇 ⊂ 南川区楠竹山镇
    ("500155126", "500106012"),  # 梁平区星桥镇 ⊂ 沙坪坝区天星桥街道
    ("500156112", "500101019"),  # 武隆区双河镇 ⊂ 万州区双河口街道
    ("500156112", "500113110"),  # 武隆区双河镇 ⊂ 巴南区双河口镇
    ("500229103", "500106002"),  # 城口县坪坝镇 ⊂ 沙坪坝区沙坪坝街道
    ("500229210", "500101019"),  # 城口县双河乡 ⊂ 万州区双河口街道
    ("500229210", "500113110"),  # 城口县双河乡 ⊂ 巴南区双河口镇
    ("500230124", "500112002"),  # 丰都县双龙镇 ⊂ 渝北区双龙湖街道
    ("500231102", "500106002"),  # 垫江县沙坪镇 ⊂ 沙坪坝区沙坪坝街道
    ("500231110", "500119106"),  # 垫江县太平镇 ⊂ 南川区太平场镇
    ("500231110", "500230206"),  # 垫江县太平镇 ⊂ 丰都县太平坝乡
    ("500231204", "500105004"),  # 垫江县大石乡 ⊂ 江北区大石坝街道
    ("500233119", "500154205"),  # 忠县三汇镇 ⊂ 开州区三汇口乡
    ("500235138", "500112002"),  # 云阳县双龙镇 ⊂ 渝北区双龙湖街道
    ("500237002", "500108005"),  # 巫山县龙门街道 ⊂ 南岸区龙门浩街道
    ("500237105", "500112002"),  # 巫山县双龙镇 ⊂ 渝北区双龙湖街道
    ("500237211", "500103011"),  # 巫山县大溪乡 ⊂ 渝中区大溪沟街道
    ("500238204", "500118002"),  # 巫溪县胜利乡 ⊂ 永川区胜利路街道
    ("500238208", "500106012"),  # 巫溪县天星乡 ⊂ 沙坪坝区天星桥街道
    ("500238208", "500113116"),  # 巫溪县天星乡 ⊂ 巴南区天星寺镇
    ("500238242", "500107006"),  # 巫溪县中梁乡 ⊂ 九龙坡区中梁山街道
    ("500240116", "500119128"),  # 石柱土家族自治县冷水镇 ⊂ 南川区冷水关镇
    ("500241208", "500103011"),  # 秀山土家族苗族自治县大溪乡 ⊂ 渝中区大溪沟街道
    ("500242104", "500103011"),  # 酉阳土家族苗族自治县大溪镇 ⊂ 渝中区大溪沟街道
    ("500242210", "500156208"),  # 酉阳土家族苗族自治县后坪乡 ⊂ 武隆区后坪苗族土家族乡
    ("500243112", "500108106"),  # 彭水苗族土家族自治县长生镇 ⊂ 南岸区长生桥镇
    ("500243223", "500112002"),  # 彭水苗族土家族自治县双龙乡 ⊂ 渝北区双龙湖街道
]


def contained_pairs(rows) -> set[tuple[str, str]]:
    pairs = set()
    for a in rows:
        names = [n for n in (a["township_name"], short_name(a["township_name"])) if n]
        for b in rows:
            if a["township_code"] != b["township_code"] and short_name(a["township_name"]) != short_name(
                    b["township_name"]) and any(n in b["township_name"] for n in names):
                pairs.add((a["township_code"], b["township_code"]))
    return pairs


@pytest.fixture(scope="module")
def rows():
    with open(DIVISIONS_CSV, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def city(db):
    divisions_load()
    return {u.code: u for u in OrgUnit.objects.select_related("parent")}


def test_the_listed_pairs_are_all_the_pairs_of_the_divisions_file(rows):
    assert contained_pairs(rows) == set(PAIRS)
    codes = {r["township_name"]: r["township_code"] for r in rows if r["district_code"] in ("500103", "500112")}
    assert (codes["两路街道"], codes["两路口街道"]) in PAIRS  # 渝北区两路 ⊂ 渝中区两路口: the pair of the issue


def test_every_pair_is_placed_by_the_longest_name_and_the_district(city):
    m = AddressMatcher("/")
    full_names = {}
    for u in city.values():
        if u.level == OrgUnit.Level.TOWNSHIP:
            full_names.setdefault(u.name, []).append(u)
    wrong = []
    for a_code, b_code in PAIRS:
        for code in (a_code, b_code):
            unit = city[code]
            district = unit.parent.name
            expected = unit.pk
            for address in (f"重庆市{district}{unit.name}某路1号", f"{district}{unit.name}", f"重庆{district}{unit.name}1号"):
                if m.place(address).unit_id != expected:
                    wrong.append((address, m.place(address)))
            short = short_name(unit.name)
            if short:
                address = f"重庆市{district}{short}某路1号"
                if m.place(address).unit_id != expected:
                    wrong.append((address, m.place(address)))
            # without the district: the full name places the case when no other township bears it
            address = f"{unit.name}某路1号"
            got = m.place(address).unit_id
            if got != (expected if len(full_names[unit.name]) == 1 else None):
                wrong.append((address, got))
    assert wrong == []


def test_the_issue_addresses(city):
    m = AddressMatcher("/")
    by_name = {(u.parent.name if u.parent else "", u.name): u for u in city.values()}
    lianglukou = by_name[("渝中区", "两路口街道")]
    lianglu = by_name[("渝北区", "两路街道")]
    assert m.place("重庆市渝中区两路口街道中山二路1号").unit_id == lianglukou.pk
    assert m.place("两路口中山二路1号").unit_id == lianglukou.pk  # longest: 两路口, not 两路
    assert m.place("重庆市渝北区两路街道双龙大道1号").unit_id == lianglu.pk
    # the district written contradicts the township's: flagged, never placed
    p = m.place("重庆市渝北区两路口街道1号")
    assert p.unit_id is None and "渝北区" in p.conflict and "渝中区" in p.conflict and "两路口街道" in p.conflict
    # a township's short name of another district inside a street name is not a contradiction
    p = m.place("重庆市渝中区中山三路131号")  # 中山: 江津区中山镇
    assert p.unit_id is None and not p.conflict and p.district_id == by_name[("重庆市", "渝中区")].pk
    # a district name is not read as a township's short name (江北街道 is in 涪陵区)
    p = m.place("重庆市江北区建新北路1号")
    assert p.unit_id is None and not p.conflict and p.district_id == by_name[("重庆市", "江北区")].pk
    assert m.place("石柱县洗新乡1组").unit_id == by_name[("石柱土家族自治县", "洗新乡")].pk
    assert m.place("万州区新乡镇1组").unit_id == by_name[("万州区", "新乡镇")].pk


def test_an_uploader_places_only_in_its_area_and_leaves_other_districts_theirs(city):
    by_name = {(u.parent.name if u.parent else "", u.name): u for u in city.values()}
    yubei = by_name[("重庆市", "渝北区")]
    yuzhong = by_name[("重庆市", "渝中区")]
    m = AddressMatcher(yubei.path)
    p = m.place("重庆市渝中区两路口街道1号")
    assert m.match("重庆市渝中区两路口街道1号") is None and m.elsewhere(p) == yuzhong.pk
    assert m.match("重庆市渝北区两路街道1号") == by_name[("渝北区", "两路街道")].pk
    assert m.elsewhere(m.place("重庆市渝中区某路1号")) == yuzhong.pk  # the district only: still 渝中区's
    assert m.elsewhere(m.place("渝北区某路1号")) is None  # its own district, no township: placed by hand
    assert m.elsewhere(m.place("四川省成都市某路1号")) is None
