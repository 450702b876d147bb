import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.creation.models import CreationTransition
from safecommunity.creation.services import creating_unit_transition
from safecommunity.orgunits.models import CreatingUnit


def unit(code):
    return CreatingUnit.objects.get(org_unit__code=code)


def test_district_launches_its_township_and_history_is_kept(district_a):
    t = creating_unit_transition(unit=unit("500103003"), to="launched", actor=district_a, reason="第一批")
    u = unit("500103003")
    assert (u.status, u.launch_year) == ("launched", t.effective_on.year)
    assert CreationTransition.objects.get().actor == district_a


def test_district_cannot_launch_another_districts_township(district_a):
    with pytest.raises(PermissionDenied):
        creating_unit_transition(unit=unit("500106001"), to="launched", actor=district_a)
    assert unit("500106001").status == "not_started" and not CreationTransition.objects.exists()


def test_a_unit_not_launched_cannot_be_designated(city_admin):
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition(unit=unit("500103003"), to="city", actor=city_admin)
    assert "未启动" in str(exc.value)
    assert unit("500103003").status == "not_started"
