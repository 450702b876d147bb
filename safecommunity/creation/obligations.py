"""Rules of the notice that creation records satisfy (see core/plugins.py)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.orgunits.models import CreatingUnit

from .models import CreationTransition, ResponsibilityLetter

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "creation.CreationTransition",
    "creation.ResponsibilityLetter",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)


def count_implementation_plans(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    """四(二): the unit was launched (by the end of `year`) with its implementation plan on file."""
    rows = (
        CreationTransition.objects.filter(creating_unit_id__in=creating_unit_ids, to_status=CreatingUnit.Status.LAUNCHED,
                                          document__isnull=False, effective_on__year__lte=year)
        .values("creating_unit_id").annotate(n=Count("pk"))
    )
    return {r["creating_unit_id"]: min(r["n"], 1) for r in rows}


def count_unit_letters(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    """五(四): a responsibility letter signed with the district for the year."""
    rows = (
        ResponsibilityLetter.objects.filter(org_unit__creating_unit__id__in=creating_unit_ids, year=year)
        .values("org_unit__creating_unit__id").annotate(n=Count("pk"))
    )
    return {r["org_unit__creating_unit__id"]: r["n"] for r in rows}


def count_district_letters(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    """五(四): the district signed its responsibility letter with the city for the year (ids are districts)."""
    rows = (
        ResponsibilityLetter.objects.filter(org_unit_id__in=creating_unit_ids, year=year, level="city_district")
        .values("org_unit_id").annotate(n=Count("pk"))
    )
    return {r["org_unit_id"]: r["n"] for r in rows}


OBLIGATIONS = [
    Obligation(key="implementation_plan", label=_("Implementation plan on file"), default_minimum=1,
               count=count_implementation_plans, order=20, unit=_("document(s)")),
    Obligation(key="unit_responsibility_letter", label=_("Responsibility letter signed with the district"),
               default_minimum=1, count=count_unit_letters, due_month=3, order=25, unit=_("letter(s)")),
    Obligation(key="district_responsibility_letter", label=_("Responsibility letter signed with the city"),
               default_minimum=1, count=count_district_letters, level="district", due_month=3, order=25,
               unit=_("letter(s)")),
]
