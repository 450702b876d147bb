"""Rules of the notice the scorecard counts (see core.plugins). Values are "at least the
minimum means met": register kinds kept (minimum 4) and hazards closed in time (minimum 100%,
i.e. no hazard overdue)."""

from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name
from safecommunity.orgunits.models import CreatingUnit

from .choices import Status
from .models import Hazard, RiskEntry
from .services import local_today

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "hazards.Hazard",
    "hazards.RiskEntry",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)


def _units(creating_unit_ids):
    return dict(CreatingUnit.objects.filter(pk__in=creating_unit_ids).values_list("org_unit_id", "pk"))


def count_registers(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    """Number of the four register kinds with at least one entry reviewed in or before `year`."""
    units = _units(creating_unit_ids)
    rows = (RiskEntry.objects.filter(org_unit_id__in=units, last_reviewed_on__year__lte=year)
            .values("org_unit_id").annotate(n=Count("kind", distinct=True)))
    return {units[r["org_unit_id"]]: r["n"] for r in rows}


def count_closed_in_time_pct(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    """Of the hazards whose deadline fell in `year` and has passed, the share closed by the
    deadline, in whole percent (rounded down). No hazard due yet counts 100: nothing is late."""
    units = _units(creating_unit_ids)
    result = {pk: 100 for pk in units.values()}
    rows = (Hazard.objects.filter(org_unit_id__in=units, deadline__year=year, deadline__lt=local_today())
            .values("org_unit_id")
            .annotate(due=Count("pk"),
                      in_time=Count("pk", filter=Q(status=Status.CLOSED, closed_on__lte=F("deadline")))))
    for r in rows:
        result[units[r["org_unit_id"]]] = 100 * r["in_time"] // r["due"] if r["due"] else 100
    return result


def _registers_link(unit, year):
    org_unit = getattr(unit, "org_unit", unit)
    return reverse_name("hazards:risk_list") + "?" + urlencode({"q": org_unit.name})


def _hazards_link(unit, year):
    org_unit = getattr(unit, "org_unit", unit)
    return reverse_name("hazards:hazard_list") + "?" + urlencode({"q": org_unit.name, "overdue": "true"})


OBLIGATIONS = [
    Obligation(key="risk_registers", label=_("Risk diagnosis registers kept (of the 4 kinds)"), default_minimum=4,
               count=count_registers, url=_registers_link, unit=_("kinds"), order=40),
    Obligation(key="hazards_closed_in_time", label=_("Hazards closed by their deadline (%)"), default_minimum=100,
               count=count_closed_in_time_pct, url=_hazards_link, unit="%", order=41),
]
