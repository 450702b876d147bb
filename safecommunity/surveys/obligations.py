"""Scorecard rule of notice 四(一): residents' awareness and participation are measured by a
survey round each year (知晓率、参与率、满意度)."""

from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name

from .selectors import unit_rounds_in_year

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
    "surveys.Response",
    "surveys.SurveyRound",
)


def count_rounds(*, creating_unit_ids, year):
    return unit_rounds_in_year(creating_unit_ids=creating_unit_ids, year=year)


def link(unit, year):
    return f"{reverse_name('surveys:round_list')}?unit={unit.code}&year={year}"


OBLIGATIONS = [
    Obligation(key="resident_survey", label=_("A resident survey round (awareness, participation, satisfaction)"),
               default_minimum=1, count=count_rounds, url=link, unit=_("rounds"), order=20),
]
