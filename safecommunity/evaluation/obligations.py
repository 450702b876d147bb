"""Scorecard rule: the unit records its special fund budget for the year."""

from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name

from .models import SpecialFund

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "evaluation.SpecialFund",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)


def count_fund_budget(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    ids = SpecialFund.objects.filter(creating_unit_id__in=creating_unit_ids, year=year, budget__gt=0) \
        .values_list("creating_unit_id", flat=True)
    return dict.fromkeys(ids, 1)


def _url(unit, year) -> str:
    return reverse_name("evaluation:fund_list") + f"?year={year}"


OBLIGATIONS = [
    Obligation(key="special_fund_budget", label=_("Special fund budget recorded for the year"), default_minimum=1,
               count=count_fund_budget, due_month=3, url=_url, unit=_("budget"), order=120),
]
