from datetime import date, datetime, time

import pytest

from safecommunity.feeds import card
from safecommunity.feeds import samples as cardfiles
from safecommunity.feeds.matching import AddressMatcher


@pytest.mark.parametrize("value,expected", [
    ("45岁", 45), ("45", 45), (45.0, 45), ("45 岁", 45), ("1岁3月", 1), ("3月", 0), ("3个月", 0), ("10天", 0),
    ("不详", None), ("", None), (None, None),
])
def test_ages_as_hospitals_write_them(value, expected):
    assert card.parse_age(value) == expected


@pytest.mark.parametrize("value", ["四十五", "45年", "-3", "abc"])
def test_what_is_not_an_age_is_refused(value):
    with pytest.raises(ValueError):
        card.parse_age(value)


@pytest.mark.parametrize("value,expected", [
    ("2025/3/4", (date(2025, 3, 4), None)),
    ("2025-03-04 14:20", (date(2025, 3, 4), time(14, 20))),
    ("2025年3月4日", (date(2025, 3, 4), None)),
    ("2025年3月4日 8时30分", (date(2025, 3, 4), time(8, 30))),
    ("20250304", (date(2025, 3, 4), None)),
    (45720.0, (date(2025, 3, 4), None)),  # an Excel serial date
    (45720.5, (date(2025, 3, 4), time(12, 0))),
    ("45720", (date(2025, 3, 4), None)),
    (datetime(2025, 3, 4, 14, 20), (date(2025, 3, 4), time(14, 20))),
    ("", None),
])
def test_dates_as_hospitals_write_them(value, expected):
    assert card.parse_datetime(value) == expected


@pytest.mark.parametrize("value", ["2025-13-01", "昨天", "3/4"])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueError):
        card.parse_datetime(value)


def test_headers_recognised_by_synonyms_and_a_title_line():
    headers = ["卡片编码", "患者姓名", "年龄", "性别", "现住址", "就诊时间", "伤害发生时间", "伤害原因", "伤害发生地点",
               "伤害发生时活动", "是否故意", "伤害性质", "伤害部位", "伤害严重程度", "伤害结局"]
    data = cardfiles.xlsx_bytes([], headers=headers, title="重庆市伤害监测报告卡导出 2025年3月")
    header_row, found_headers, found, _rows = card.open_table(data, "x.xlsx")
    assert header_row == 2
    assert card.missing_required(found) == []
    assert found["address"] == 4 and found["mechanism"] == 7 and found["intent"] == 10


def test_gbk_csv_is_decoded():
    data = cardfiles.csv_bytes([cardfiles.row()], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    _n, headers, found, rows = card.open_table(data, "x.csv")
    assert headers[6] == "伤者现住址"
    assert list(rows)[0][1][3] == "张三"


def test_addresses_placed_in_townships_of_the_scope(tree):
    m = AddressMatcher(tree["500103"].path)
    assert m.match("重庆市渝中区解放碑街道民族路88号") == tree["500103003"].pk
    assert m.match("渝中区解放碑八一路5号") == tree["500103003"].pk  # short form
    assert m.match("七星岗中山一路") == tree["500103001"].pk
    assert m.match("重庆市沙坪坝区小龙坎街道") is None  # outside the scope
    assert m.match("") is None
    city = AddressMatcher("/")
    assert city.match("重庆市沙坪坝区小龙坎街道") == tree["500106001"].pk


def test_the_batch_cipher_writes_what_injuries_reads(settings):
    from safecommunity.core import personal

    cipher = personal.BatchCipher()
    for value in ("张三", "11010519491231002X", "13812345678", "欧阳" * 40):
        token = cipher.encrypt(value)
        assert token != cipher.encrypt(value)  # a fresh nonce each time
        assert personal.decrypt(token) == value
    assert cipher.encrypt("  ") == ""


def test_person_keys_match_those_stored_before(settings):
    """Keys of earlier imports stay comparable: the same HMAC-SHA256 of the same material under
    the key from SECRET_KEY, whether computed one by one or from a prepared state."""
    import hashlib
    import hmac

    from safecommunity.feeds.analysis import person_key, person_mac

    secret = hashlib.sha256(b"safecommunity.feeds.person|" + settings.SECRET_KEY.encode()).digest()
    by_id = hmac.new(secret, "id|张三|11010519491231002X".encode(), hashlib.sha256).hexdigest()
    by_age = hmac.new(secret, "nas|张三|45|M".encode(), hashlib.sha256).hexdigest()
    mac = person_mac()
    assert person_key(name=" 张 三", id_number="11010519491231002x", age=45, sex="M") == by_id
    assert person_key(name="张三", id_number="11010519491231002X", age=None, sex="U", mac=mac) == by_id
    assert person_key(name="张三", id_number="", age=45, sex="M", mac=mac) == by_age
    assert person_key(name="", id_number="", age=45, sex="M", mac=mac) == ""
