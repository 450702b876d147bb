"""Scorecard rule: injury records or a nil report cover each of the 12 safety areas in the year."""

from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name
from safecommunity.orgunits.models import CreatingUnit

from .selectors import areas_covered

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "core.CodeItem",
    "injuries.InjuryRecord",
    "injuries.NilReport",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)


def count_areas_covered(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    """{creating_unit_id: number of safety areas with a record or a nil report in the year}."""
    org_of = dict(CreatingUnit.objects.filter(pk__in=creating_unit_ids).values_list("pk", "org_unit_id"))
    covered = areas_covered(org_unit_ids=list(org_of.values()), year=year)
    return {cu: len(covered.get(org, ())) for cu, org in org_of.items() if covered.get(org)}


def _url(unit, year):
    return f"{reverse_name('injuries:nil_list')}?year={year}"


OBLIGATIONS = [
    Obligation(
        key="injury_areas_covered",
        label=_("Injury records or a nil report for each of the 12 safety areas"),
        default_minimum=12,
        count=count_areas_covered,
        url=_url,
        unit="个",
        order=40,
    ),
]
