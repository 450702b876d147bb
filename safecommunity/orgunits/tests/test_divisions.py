from django.core.management import call_command

from safecommunity.orgunits.models import CreatingUnit, Department, OrgUnit
from safecommunity.orgunits.services import divisions_load


def test_it_loads_chongqing_whole_and_idempotently(db):
    first = divisions_load()
    assert OrgUnit.objects.districts().count() == 38
    assert OrgUnit.objects.townships().count() == 1031
    assert CreatingUnit.objects.filter(kind="township").count() == 1031
    assert first.created == 1 + 38 + 1031
    second = divisions_load()
    assert (second.created, second.updated) == (0, 0)
    assert OrgUnit.objects.count() == 1070


def test_it_types_divisions_from_the_official_codes(db):
    divisions_load(only_districts={"500103", "500240"})
    assert OrgUnit.objects.get(code="500103").division_type == "district"
    assert OrgUnit.objects.get(code="500240").division_type == "autonomous_county"  # 石柱土家族自治县
    jfb = OrgUnit.objects.get(code="500103003")
    assert (jfb.name, jfb.division_type, jfb.path) == ("解放碑街道", "subdistrict", "/500000/500103/500103003/")
    assert OrgUnit.objects.filter(parent__code="500103").count() == 11


def test_it_maps_departments_to_safety_areas(tree):
    ga = Department.objects.get(code="GA")
    assert set(ga.safety_areas.values_list("code", flat=True)) >= {"traffic", "fire", "public_security"}
    assert Department.objects.count() == 17


def test_demo_command_is_idempotent(db):
    call_command("demo", "--no-migrate")
    assert OrgUnit.objects.townships().count() == CreatingUnit.objects.filter(kind="township").count() == 1031
    counts = (OrgUnit.objects.count(), CreatingUnit.objects.count())
    call_command("demo", "--no-migrate")
    assert (OrgUnit.objects.count(), CreatingUnit.objects.count()) == counts
    from safecommunity.accounts.models import User

    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"city", "district", "department", "unit", "expert", "sysadmin"}
