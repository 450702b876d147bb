"""Scorecard rules of notice 四(一) and 四(三): publicity and training, the year-end review meeting,
emergency plans for the four event types, equipment, a team, drills; per district a
standards-and-methods training."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name

from .models import Activity, Drill, EmergencyPlan, EmergencyTeam, Equipment

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "activities.Activity",
    "activities.Drill",
    "activities.EmergencyPlan",
    "activities.EmergencyTeam",
    "activities.Equipment",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)

UNIT_KEY = "org_unit__creating_unit"


def _per_unit(qs, *, key=UNIT_KEY, distinct_field=None) -> dict[int, int]:
    count = Count(distinct_field, distinct=True) if distinct_field else Count("pk")
    return {r[key]: r["n"] for r in qs.values(key).annotate(n=count).order_by()}


def count_events(*, creating_unit_ids, year):
    return _per_unit(Activity.objects.filter(org_unit__creating_unit__in=creating_unit_ids, held_on__year=year))


def count_plan_types(*, creating_unit_ids, year):
    """The number of the four event types covered by a plan approved by the end of the year."""
    qs = EmergencyPlan.objects.filter(org_unit__creating_unit__in=creating_unit_ids,
                                      approved_on__lte=date(year, 12, 31))
    return _per_unit(qs, distinct_field="event_type")


def count_equipment(*, creating_unit_ids, year):
    qs = Equipment.objects.filter(org_unit__creating_unit__in=creating_unit_ids).filter(
        Q(acquired_on__isnull=True) | Q(acquired_on__lte=date(year, 12, 31)),
        Q(retired_on__isnull=True) | Q(retired_on__gte=date(year, 1, 1)),
    )
    return _per_unit(qs)


def count_teams(*, creating_unit_ids, year):
    return _per_unit(EmergencyTeam.objects.filter(org_unit__creating_unit__in=creating_unit_ids,
                                                  established_on__lte=date(year, 12, 31)))


def count_drills(*, creating_unit_ids, year):
    return _per_unit(Drill.objects.filter(org_unit__creating_unit__in=creating_unit_ids, held_on__year=year))


def count_district_standards_trainings(*, creating_unit_ids, year):
    """`creating_unit_ids` are district OrgUnit ids here (level="district"): trainings the district recorded."""
    qs = Activity.objects.filter(org_unit_id__in=creating_unit_ids, held_on__year=year,
                                 kind=Activity.Kind.STANDARDS_TRAINING)
    return _per_unit(qs, key="org_unit_id")


def link(url_name, **extra):
    def url(unit, year):
        query = "&".join([f"unit={unit.code}", f"year={year}", *(f"{k}={v}" for k, v in extra.items())])
        return f"{reverse_name(url_name)}?{query}"

    return url


OBLIGATIONS = [
    Obligation(key="publicity_training", label=_("At least 4 publicity, training or lecture events"),
               default_minimum=4, count=count_events, url=link("activities:activity_list"), unit=_("events"),
               order=10),
    Obligation(key="district_standards_training", label=_("At least 1 standards-and-methods training per district"),
               default_minimum=1, count=count_district_standards_trainings, level="district",
               url=link("activities:activity_list", kind=Activity.Kind.STANDARDS_TRAINING), unit=_("trainings"),
               order=15),
    # year_end_review (notice 四(三)) is the inspections app's rule: it counts these meetings too.
    Obligation(key="emergency_plans", label=_("Emergency plans covering the four event types"), default_minimum=4,
               count=count_plan_types, url=link("activities:plan_list"), unit=_("types"), order=60),
    Obligation(key="emergency_equipment", label=_("Emergency equipment and facilities recorded"), default_minimum=1,
               count=count_equipment, url=link("activities:equipment_list"), unit=_("items"), order=62),
    Obligation(key="emergency_team", label=_("An emergency team recorded"), default_minimum=1, count=count_teams,
               url=link("activities:team_list"), unit=_("teams"), order=64),
    Obligation(key="drills", label=_("At least 4 emergency drills"), default_minimum=4, count=count_drills,
               url=link("activities:drill_list"), unit=_("drills"), order=70),
]
