"""Who sees what: districts and units by subtree, departments by domain city-wide."""

import pytest

from safecommunity.accounts.tests.factories import UserFactory
from safecommunity.hazards import services
from safecommunity.hazards.models import Hazard, HazardStep, RiskEntry
from safecommunity.hazards.tests.factories import area, report, unit
from safecommunity.orgunits.models import Department

pytestmark = pytest.mark.django_db


def entry(actor, code, kind, area_code, **kw):
    data = {"name": kw.pop("name", f"{kind}-{code}"), "safety_area": area(area_code), "risk_level": "red",
            "last_reviewed_on": services.local_today(), "count": 10 if kind in ("group", "vulnerable") else None}
    if kind == "place":
        data.update(latitude=29.5, longitude=106.5)
    data.update(kw)
    return services.risk_entry_save(actor=actor, org_unit=unit(code), kind=kind, **data)


def test_districts_and_units_see_their_subtree(unit_a, unit_a2, unit_b, district_a, district_b, city_admin):
    ha, ha2, hb = report(unit_a), report(unit_a2, code="500103001"), report(unit_b, code="500106001")
    assert set(Hazard.objects.visible_to(unit_a)) == {ha}
    assert set(Hazard.objects.visible_to(district_a)) == {ha, ha2}
    assert set(Hazard.objects.visible_to(district_b)) == {hb}
    assert set(Hazard.objects.visible_to(city_admin)) == {ha, ha2, hb}
    assert set(HazardStep.objects.visible_to(district_b).values_list("hazard", flat=True)) == {hb.pk}


def test_experts_and_sysadmins_see_no_hazards(unit_a, expert, sysadmin):
    report(unit_a)
    assert not Hazard.objects.visible_to(expert).exists()
    assert not Hazard.objects.visible_to(sysadmin).exists()


def test_a_department_sees_its_domain_city_wide_and_what_is_assigned_to_it(unit_a, unit_b, district_b, dept_ga):
    # 公安 guides traffic, fire, public security and public places.
    fire_a = report(unit_a, area_code="fire")
    traffic_b = report(unit_b, code="500106001", area_code="traffic")
    elderly_b = report(unit_b, code="500106001", area_code="elderly")
    water_b = report(unit_b, code="500106001", area_code="water")
    services.hazard_assign(hazard=water_b, actor=district_b, responsible_unit=unit("500106001"),
                           department=Department.objects.get(code="GA"))
    assert set(Hazard.objects.visible_to(dept_ga)) == {fire_a, traffic_b, water_b}
    assert elderly_b not in Hazard.objects.visible_to(dept_ga)


def test_a_department_sees_the_major_hazard_sources_of_its_domain(unit_a, unit_b, dept_ga):
    ga = Department.objects.get(code="GA")
    zj = Department.objects.get(code="ZJ")
    own = entry(unit_a, "500103003", "source", "workplace", department=ga)  # supervised by 公安
    in_domain = entry(unit_b, "500106001", "source", "fire", department=zj)  # fire is 公安's area
    other = entry(unit_b, "500106001", "source", "workplace", department=zj)
    group = entry(unit_a, "500103003", "group", "fire")
    seen = set(RiskEntry.objects.visible_to(dept_ga))
    assert seen == {own, in_domain}
    assert other not in seen and group not in seen


def test_a_department_without_a_department_sees_nothing(unit_a, tree):
    report(unit_a)
    user = UserFactory(username="dept_none", role="department", code="GA")
    user.department = None
    assert not Hazard.objects.visible_to(user).exists()


def test_register_entries_are_checked(unit_a, unit_b):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as exc:
        entry(unit_a, "500103003", "place", "water", latitude=None, longitude=None)
    assert "latitude" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        entry(unit_a, "500103003", "source", "fire")
    assert "department" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        entry(unit_a, "500103003", "group", "elderly", count=None)
    assert "count" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        entry(unit_a, "500103003", "group", "elderly", risk_level="purple")
    assert "risk_level" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        entry(unit_a, "500106001", "group", "elderly")
    assert not RiskEntry.objects.exists()
