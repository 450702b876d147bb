"""Loading the administrative divisions and departments (idempotent)."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from safecommunity.core.codelists import SAFETY_AREA
from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.core.rules import require_role
from safecommunity.core.services import record_save

from .departments import DEPARTMENTS
from .models import CreatingUnit, Department, OrgUnit

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_CSV = DATA_DIR / "chongqing_divisions.csv"
DISTRICTS_GEOJSON = DATA_DIR / "chongqing_districts.geojson"
CITY_NAME = "重庆市"
TREE_ROLES = frozenset({Role.SYSADMIN})  # the org-unit tree is the system administrator's
# a creating unit's own data: the offices and the unit itself; not the system administrator
CREATING_UNIT_EDIT_ROLES = frozenset({Role.CITY, Role.DISTRICT, Role.UNIT})

TOWNSHIP_TYPES = {
    "街道": OrgUnit.DivisionType.SUBDISTRICT,
    "镇": OrgUnit.DivisionType.TOWN,
    "乡": OrgUnit.DivisionType.TOWNSHIP,
}


def district_type(name: str) -> str:
    if name.endswith("自治县"):
        return OrgUnit.DivisionType.AUTONOMOUS_COUNTY
    if name.endswith("县"):
        return OrgUnit.DivisionType.COUNTY
    return OrgUnit.DivisionType.DISTRICT


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0


def _upsert(rows: list[dict], result: LoadResult) -> dict[str, OrgUnit]:
    """Create or update org units given as dicts with code/name/level/division_type/parent."""
    codes = [r["code"] for r in rows]
    existing = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    to_create, to_update = [], []
    for r in rows:
        parent = r["parent"]
        path = OrgUnit.build_path(parent, r["code"])
        unit = existing.get(r["code"])
        if unit is None:
            unit = OrgUnit(code=r["code"], name=r["name"], level=r["level"], division_type=r["division_type"],
                           parent=parent, path=path)
            to_create.append(unit)
            existing[r["code"]] = unit
        elif (unit.name, unit.level, unit.division_type, unit.parent_id, unit.path) != (
            r["name"], r["level"], r["division_type"], parent.pk if parent else None, path
        ):
            unit.name, unit.level, unit.division_type, unit.parent, unit.path = (
                r["name"], r["level"], r["division_type"], parent, path
            )
            to_update.append(unit)
    OrgUnit.objects.bulk_create(to_create, batch_size=500)
    OrgUnit.objects.bulk_update(to_update, ["name", "level", "division_type", "parent", "path"], batch_size=500)
    result.created += len(to_create)
    result.updated += len(to_update)
    return existing


@transaction.atomic
def divisions_load(*, csv_path: Path = DIVISIONS_CSV, city_code: str | None = None, city_name: str = CITY_NAME,
                   only_districts: set[str] | None = None) -> LoadResult:
    """Load city > districts > townships from the divisions CSV, and one creating unit per township.

    Idempotent: a second run changes nothing. `only_districts` limits to some district codes
    (used by tests to build a small tree from the real data).
    """
    city_code = city_code or settings.CITY_CODE
    result = LoadResult()
    with open(csv_path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if not only_districts or r["district_code"] in only_districts]

    city = _upsert([{"code": city_code, "name": city_name, "level": OrgUnit.Level.CITY,
                     "division_type": OrgUnit.DivisionType.MUNICIPALITY, "parent": None}], result)[city_code]
    districts: dict[str, dict] = {}
    for r in rows:
        districts.setdefault(r["district_code"], {
            "code": r["district_code"], "name": r["district_name"], "level": OrgUnit.Level.DISTRICT,
            "division_type": district_type(r["district_name"]), "parent": city,
        })
    by_code = _upsert(list(districts.values()), result)
    townships = [{
        "code": r["township_code"], "name": r["township_name"], "level": OrgUnit.Level.TOWNSHIP,
        "division_type": TOWNSHIP_TYPES.get(r["township_type"], OrgUnit.DivisionType.OTHER),
        "parent": by_code[r["district_code"]],
    } for r in rows]
    units = _upsert(townships, result)

    township_ids = [units[t["code"]].pk for t in townships]
    have = set(CreatingUnit.objects.filter(org_unit_id__in=township_ids).values_list("org_unit_id", flat=True))
    CreatingUnit.objects.bulk_create(
        [CreatingUnit(org_unit_id=pk, kind=CreatingUnit.Kind.TOWNSHIP) for pk in township_ids if pk not in have],
        batch_size=500,
    )
    departments_load()
    return result


@transaction.atomic
def departments_load() -> int:
    """Create the departments of the notice and map them to safety areas; keeps UI edits."""
    areas = {i.code: i for i in CodeItem.objects.of(SAFETY_AREA)}
    created = 0
    for order, (code, name, full_name, member, area_codes, duties) in enumerate(DEPARTMENTS, start=1):
        dept, was_created = Department.objects.get_or_create(
            code=code,
            defaults={"name": name, "full_name": full_name, "duties": duties,
                      "is_joint_meeting_member": member, "sort_order": order * 10},
        )
        if was_created:
            dept.safety_areas.set([areas[c] for c in area_codes if c in areas])
            created += 1
    return created


def next_unit_code(district: OrgUnit, kind: str) -> str:
    """A code under the district for a unit without an official code: 500103E001, 500103P001."""
    prefix = f"{district.code}{'E' if kind == CreatingUnit.Kind.ENTERPRISE else 'P'}"
    taken = OrgUnit.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
    return f"{prefix}{(max(numbers) + 1) if numbers else 1:03d}"


LEVEL_PARENT = {
    OrgUnit.Level.DISTRICT: OrgUnit.Level.CITY,
    OrgUnit.Level.TOWNSHIP: OrgUnit.Level.DISTRICT,
    OrgUnit.Level.ENTERPRISE: OrgUnit.Level.DISTRICT,
    OrgUnit.Level.PARK: OrgUnit.Level.DISTRICT,
}


@transaction.atomic
@transaction.atomic
def orgunit_create(*, actor, code: str, name: str, level: str, parent_code: str, division_type: str = "") -> OrgUnit:
    """Add a division (e.g. a new street after a re-division): the system administrator. A
    township gets its creating unit.

    Codes are hierarchical: a child's code starts with its parent's (the city excepted).
    Raises ValidationError naming the field; writes nothing then.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    require_role(actor, *TREE_ROLES)
    code, name = (code or "").strip(), (name or "").strip()
    errors = {}
    parent = OrgUnit.objects.filter(code=(parent_code or "").strip()).first()
    if level not in LEVEL_PARENT:
        errors["level"] = _("Choose the level of the new unit.")
    elif parent is None:
        errors["parent_code"] = _("No org unit has the code %(code)s.") % {"code": parent_code}
    elif parent.level != LEVEL_PARENT[level]:
        errors["parent_code"] = _("A unit of this level must sit under a %(level)s.") % {
            "level": OrgUnit.Level(LEVEL_PARENT[level]).label}
    if not code:
        errors["code"] = _("Enter the code.")
    elif OrgUnit.objects.filter(code=code).exists():
        errors["code"] = _("The code %(code)s is taken.") % {"code": code}
    elif parent is not None and parent.level != OrgUnit.Level.CITY and not code.startswith(parent.code):
        errors["code"] = _("The code must start with the parent's code %(code)s.") % {"code": parent.code}
    if not name:
        errors["name"] = _("Enter the name.")
    if errors:
        raise ValidationError(errors)
    unit = OrgUnit(code=code, name=name, level=level, division_type=division_type, parent=parent)
    unit.full_clean()
    unit.save()
    if unit.is_creating_level:
        CreatingUnit.objects.create(org_unit=unit, kind=level)
    return unit


@transaction.atomic
def orgunit_update(*, unit: OrgUnit, actor) -> OrgUnit:
    """Change a division's own data (name, type…): the system administrator, city-wide (the
    tree is reference data)."""
    return record_save(obj=unit, actor=actor, roles=TREE_ROLES)


@transaction.atomic
def creating_unit_update(*, unit: CreatingUnit, actor) -> CreatingUnit:
    """Change a creating unit's own data (population, workforce, contacts): the offices and
    the unit itself, in their area."""
    return record_save(obj=unit, actor=actor, roles=CREATING_UNIT_EDIT_ROLES)
