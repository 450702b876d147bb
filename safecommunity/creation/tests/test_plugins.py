from datetime import date

from safecommunity.core.registry import contributions
from safecommunity.creation.monthly_figures import monthly_figures
from safecommunity.creation.obligations import (
    count_district_letters,
    count_implementation_plans,
    count_unit_letters,
)
from safecommunity.creation.services import creating_unit_transition, creating_units_launch, letter_save
from safecommunity.orgunits.models import OrgUnit

from .conftest import pdf, unit


def test_the_plugins_are_found():
    names = {m.__name__ for m in contributions("obligations")} | {m.__name__ for m in contributions("monthly_figures")}
    assert {"safecommunity.creation.obligations", "safecommunity.creation.monthly_figures"} <= names


def test_implementation_plan_counts_only_launches_with_a_document(district_a, city_admin):
    a, b = unit("500103003"), unit("500103001")
    creating_units_launch(units=[a], actor=district_a, launched_on=date(2025, 3, 1), plan_file=pdf())
    creating_unit_transition(unit=b, to="launched", actor=district_a, effective_on=date(2025, 3, 1))
    assert count_implementation_plans(creating_unit_ids=[a.pk, b.pk], year=2025) == {a.pk: 1}
    assert count_implementation_plans(creating_unit_ids=[a.pk], year=2024) == {}


def test_letters_count_per_unit_and_district(district_a, city_admin):
    a = unit("500103003")
    letter_save(actor=district_a, year=2026, level="district_unit", org_unit=a.org_unit, targets="x",
                upper_signatory="a", lower_signatory="b", signed_on=date(2026, 1, 5))
    district = OrgUnit.objects.get(code="500103")
    letter_save(actor=city_admin, year=2026, level="city_district", org_unit=district, targets="x",
                upper_signatory="a", lower_signatory="b", signed_on=date(2026, 1, 5))
    assert count_unit_letters(creating_unit_ids=[a.pk, unit("500103001").pk], year=2026) == {a.pk: 1}
    assert count_district_letters(creating_unit_ids=[district.pk], year=2026) == {district.pk: 1}
    assert count_district_letters(creating_unit_ids=[district.pk], year=2025) == {}


def test_monthly_figures_count_the_months_changes(district_a, city_admin):
    a = unit("500103003")
    creating_unit_transition(unit=a, to="launched", actor=district_a, effective_on=date(2026, 3, 1))
    creating_unit_transition(unit=unit("500103003"), to="applied", actor=district_a, effective_on=date(2026, 3, 31))
    creating_unit_transition(unit=unit("500103003"), to="returned", actor=city_admin, reason="x",
                             effective_on=date(2026, 4, 1))
    assert monthly_figures(creating_unit_ids=[a.pk], period=date(2026, 3, 1)) == {
        a.pk: {"creation_launched": 1, "creation_status_changes": 2}}
    assert monthly_figures(creating_unit_ids=[a.pk], period=date(2026, 12, 1)) == {}
