"""The yearly plan: quota = ceil(pct × townships), categories, edited percentages, targets."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.creation.models import DistrictPlan, PlanYear, quota_for
from safecommunity.creation.selectors import city_progress, plan_rows, three_year_view
from safecommunity.creation.services import (
    creating_units_launch,
    district_plan_update,
    enterprise_unit_register,
    plan_year_open,
    plan_year_update,
)
from safecommunity.orgunits.models import OrgUnit

from .conftest import pdf, unit
from .factories import bring_to


@pytest.mark.parametrize("pct, townships, quota", [
    ("30", 11, 4),     # 3.3 → 4
    ("20", 26, 6),     # 5.2 → 6
    ("20", 10, 2),     # exactly 2, not 3
    ("30", 10, 3),
    ("30", 0, 0),
    ("25.5", 2, 1),    # 0.51 → 1
    ("33.33", 3, 1),   # 0.9999 → 1, not 2 (no float noise)
    ("10", 30, 3),     # float 0.1*30 = 3.0000000000000004 would give 4
    ("100", 7, 7),
])
def test_quota_is_the_ceiling_of_percentage_times_townships(pct, townships, quota):
    assert quota_for(Decimal(pct), townships) == quota


def test_opening_a_year_presets_categories_percentages_and_quotas(plan, tree):
    rows = {r.org_unit.code: r for r in plan.districts.select_related("org_unit")}
    yuzhong, shapingba = rows["500103"], rows["500106"]
    assert yuzhong.category == shapingba.category == "main_urban"
    assert yuzhong.percentage == Decimal("30")
    assert yuzhong.township_count == OrgUnit.objects.filter(parent__code="500103", level="township").count() == 11
    assert yuzhong.quota == 4  # ceil(0.3 × 11)
    assert shapingba.quota == quota_for(Decimal("30"), shapingba.township_count)


def test_other_districts_get_20_percent(city_admin, tree):
    from safecommunity.orgunits.services import divisions_load

    divisions_load(only_districts={"500103", "500106", "500230"})  # 丰都县
    plan = plan_year_open(year=2026, actor=city_admin)
    fengdu = plan.districts.get(org_unit__code="500230")
    assert (fengdu.category, fengdu.percentage) == ("other", Decimal("20"))
    assert fengdu.quota == quota_for(Decimal("20"), fengdu.township_count)


def test_edited_percentages_change_the_quota_and_carry_over(plan, city_admin):
    row = plan.districts.get(org_unit__code="500103")
    district_plan_update(row=row, actor=city_admin, category="demonstration", percentage=Decimal("50"))
    row.refresh_from_db()
    assert (row.category, row.quota) == ("demonstration", 6)  # ceil(5.5)
    next_year = plan_year_open(year=2027, actor=city_admin)
    carried = next_year.districts.get(org_unit__code="500103")
    assert (carried.category, carried.percentage) == ("demonstration", Decimal("50"))


@pytest.mark.parametrize("pct", ["-1", "100.01", "abc"])
def test_a_bad_percentage_is_refused(plan, city_admin, pct):
    row = plan.districts.get(org_unit__code="500103")
    with pytest.raises(ValidationError) as exc:
        district_plan_update(row=row, actor=city_admin, category="main_urban", percentage=pct)
    assert "percentage" in exc.value.message_dict
    row.refresh_from_db()
    assert row.percentage == Decimal("30")


def test_only_the_city_office_opens_and_edits_plans(plan, district_a):
    with pytest.raises(PermissionDenied):
        plan_year_open(year=2027, actor=district_a)
    with pytest.raises(PermissionDenied):
        district_plan_update(row=plan.districts.first(), actor=district_a, category="other", percentage=10)
    with pytest.raises(PermissionDenied):
        plan_year_update(plan=plan, actor=district_a, target_launched=1)
    assert not PlanYear.objects.filter(year=2027).exists()


def test_a_year_opens_once(plan, city_admin):
    with pytest.raises(ValidationError) as exc:
        plan_year_open(year=2026, actor=city_admin)
    assert "year" in exc.value.message_dict
    assert DistrictPlan.objects.count() == 2


def test_the_notices_targets_are_the_defaults(city_admin, tree):
    p2010 = plan_year_open(year=2010, actor=city_admin)
    assert (p2010.target_launched, p2010.target_city, p2010.targets_cumulative) == (250, 50, False)
    p2012 = plan_year_open(year=2012, actor=city_admin)
    assert (p2012.target_launched, p2012.target_city, p2012.target_national) == (800, 500, 50)
    assert p2012.international_label == "3–5" and p2012.targets_cumulative
    p2013 = plan_year_open(year=2013, actor=city_admin, target_launched=900)
    assert (p2013.target_launched, p2013.target_city) == (900, 500)  # the rest from 2012


def test_targets_are_editable_and_checked(plan, city_admin):
    plan_year_update(plan=plan, actor=city_admin, target_launched=300, target_international=2,
                     target_international_max=4)
    plan.refresh_from_db()
    assert (plan.target_launched, plan.international_label) == (300, "2–4")
    with pytest.raises(ValidationError) as exc:
        plan_year_update(plan=plan, actor=city_admin, target_international=5, target_international_max=4)
    assert "target_international_max" in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.target_international == 2


def test_plan_rows_count_launches_gap_and_designations(plan, city_admin, district_a):
    bring_to("500103001", "city", city=city_admin, on=date(2025, 5, 1))  # launched 2025, designated 2025
    creating_units_launch(units=[unit("500103003"), unit("500103004")], actor=district_a,
                          launched_on=date(2026, 3, 1), plan_file=pdf())
    enterprise = enterprise_unit_register(district=OrgUnit.objects.get(code="500103"), kind="enterprise",
                                          name="重庆某集团社区", workforce=3000, actor=district_a)
    creating_units_launch(units=[enterprise], actor=district_a, launched_on=date(2026, 3, 2), plan_file=pdf())

    totals = plan_rows(city_admin, plan)
    row = next(r for r in totals.rows if r.district.code == "500103")
    assert (row.quota, row.launched_year, row.launched_total, row.gap) == (4, 2, 3, 2)
    assert (row.other_launched, row.designated) == (1, 1)  # the enterprise is outside the quota
    assert row.pct_met == 50.0
    assert [r.district.code for r in plan_rows(district_a, plan).rows] == ["500103"]

    progress = {p["key"]: p for p in city_progress(city_admin, plan)}
    assert plan.targets_cumulative  # the 2012 figures are totals by the year end
    assert progress["launched"]["actual"] == 4
    assert progress["city"]["actual"] == 1


def test_three_year_view_follows_the_path(plan, city_admin):
    for code, on in (("500103001", date(2024, 4, 1)), ("500103004", date(2024, 5, 1)),
                     ("500103003", date(2025, 3, 1))):
        bring_to(code, "launched", city=city_admin, on=on)
    view = three_year_view(city_admin, OrgUnit.objects.get(code="500103"), until=2026)
    years = [r["year"] for r in view["rows"]]
    assert years == [2024, 2025, 2026]
    first = view["rows"][0]
    assert (first["launched"], first["cumulative"], first["quota"]) == (2, 2, 4)
    assert str(first["phase"]) == "第一年：打基础"
    assert view["rows"][1]["cumulative"] == 3 and view["rows"][2]["expected"] == 11
    assert view["remaining"] == 8 and view["years_to_full"] == 2
