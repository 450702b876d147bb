"""The scheme's pass rule at each boundary, and item points from grades."""

from decimal import Decimal

import pytest

from safecommunity.evaluation.services import item_points, scheme_result


@pytest.mark.parametrize("total, zero, expected", [
    ("100", False, "pass"),
    ("99.9", False, "rectify"),
    ("150", False, "pass"),
    ("75", False, "rectify"),
    ("74.9", False, "fail"),
    ("120", True, "fail"),  # an item at 0 fails whatever the total
    ("80", True, "fail"),
])
def test_national_pass_rule_boundaries(national, total, zero, expected):
    assert scheme_result(national, Decimal(total), zero) == expected


def test_city_scheme_without_rectification_band(national):
    national.pass_total, national.rectify_total = Decimal("90"), None
    assert scheme_result(national, Decimal("90"), False) == "pass"
    assert scheme_result(national, Decimal("89.99"), False) == "fail"


def test_national_scheme_has_50_items_150_points_element_1_confirmed(national):
    items = list(national.items.select_related("element"))
    assert len(items) == 50 and national.total_points == Decimal("150")
    first = [i for i in items if i.element.code == "E01"]
    assert [i.number for i in first] == [1, 2, 3, 4, 5] and not any(i.is_placeholder for i in first)
    assert all(i.is_placeholder and i.text.startswith("【待补充】") for i in items if i.number > 5)
    assert {i.element.code for i in items} == {f"E{n:02d}" for n in range(1, 13)}
    assert national.declared_total == Decimal("150") and not national.usable
    assert any("45" in p and "【待补充】" in p for p in national.problems())


def test_item_points_from_grades(national):
    item = national.items.first()
    assert item_points(national, item, "a", "a", "a") == Decimal("3.00")
    assert item_points(national, item, "b", "c", "d") == Decimal("0.86")  # 0.56 + 0.30 + 0
    assert item_points(national, item, "d", "d", "d") == Decimal("0.00")


def test_isccc_self_check_scheme_has_six_indicators(db):
    from safecommunity.evaluation.models import Scheme

    isccc = Scheme.objects.get(code="isccc-self-check")
    assert isccc.purpose == "self_check" and isccc.items.count() == 6
