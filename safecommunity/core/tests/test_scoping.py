"""The one scoping rule (core.scoping.ScopedQuerySet): its hooks, child tables scoped through
their parent, reference data, and the checks derived from it."""

import pytest

from safecommunity.accounts.models import User
from safecommunity.accounts.rules import in_scope as covers_unit
from safecommunity.core.models import CodeItem
from safecommunity.core.scoping import in_scope
from safecommunity.hazards.models import Hazard, HazardStep
from safecommunity.hazards.tests.factories import report

pytestmark = pytest.mark.django_db


def test_a_child_table_is_seen_exactly_with_its_parent(city_admin, district_a, district_b, unit_a, unit_a2, expert):
    hazard = report(unit_a)
    step = HazardStep.objects.filter(hazard=hazard).first()
    assert step is not None
    for user in (city_admin, district_a, unit_a, district_b, unit_a2, expert):
        assert in_scope(user, step) == in_scope(user, hazard) == Hazard.objects.visible_to(user).filter(
            pk=hazard.pk).exists()
    assert in_scope(district_a, step) and not in_scope(district_b, step) and not in_scope(unit_a2, step)


def test_reference_data_is_read_by_every_active_user(unit_a, sysadmin):
    item = CodeItem.objects.first()
    assert in_scope(unit_a, item) and in_scope(sysadmin, item)
    unit_a.is_active = False
    assert not CodeItem.objects.visible_to(unit_a).exists()  # an inactive account reads nothing


def test_users_are_seen_by_their_district_and_themselves(city_admin, sysadmin, district_a, district_b, unit_a, unit_a2):
    assert set(User.objects.visible_to(unit_a)) == {unit_a}
    assert {unit_a, unit_a2} <= set(User.objects.visible_to(district_a))
    assert unit_a not in set(User.objects.visible_to(district_b))
    assert User.objects.visible_to(sysadmin).count() == User.objects.visible_to(city_admin).count() == User.objects.count()


def test_area_of_responsibility(tree, city_admin, district_a, unit_a, dept_ga):
    assert covers_unit(city_admin, tree["500106001"])
    assert covers_unit(district_a, tree["500103003"]) and not covers_unit(district_a, tree["500106001"])
    assert covers_unit(unit_a, tree["500103003"]) and not covers_unit(unit_a, tree["500103001"])
    assert not covers_unit(dept_ga, tree["500103003"])  # departments read the tree, they act through grants


def test_a_subtree_is_its_units_ids_and_a_unit_added_is_among_them_at_once(district_a, unit_a):
    """within_q filters by the subtree's unit ids (core.scoping.subtree_ids), never kept between
    calls: a unit added a moment ago is in its district's scope at once."""
    from safecommunity.core.scoping import subtree_ids
    from safecommunity.orgunits.models import OrgUnit

    district = OrgUnit.objects.get(code="500103")
    before = subtree_ids(district.path)
    assert unit_a.org_unit_id in before and district.pk in before
    assert not set(before) & set(subtree_ids(OrgUnit.objects.get(code="500106").path))
    added = OrgUnit.objects.create(code="500103099", name="新设街道", level=OrgUnit.Level.TOWNSHIP, parent=district)
    assert added.pk in subtree_ids(district.path) and added.pk not in before
    report(unit_a)
    assert Hazard.objects.visible_to(district_a).count() == 1
