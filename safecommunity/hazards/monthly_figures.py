"""Figures the monthly progress report pre-fills (see core.plugins)."""

from calendar import monthrange
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Figure
from safecommunity.orgunits.models import CreatingUnit

from .choices import Status
from .models import Hazard

FIGURES = [
    Figure(key="hazards_found", label=_("Hazards found"), order=40, unit=_("items")),
    Figure(key="hazards_rectified", label=_("Hazards rectified and closed"), order=41, unit=_("items")),
    Figure(key="hazards_overdue", label=_("Hazards overdue at month end"), order=42, unit=_("items")),
]


def monthly_figures(*, creating_unit_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    """For the month starting at `period`: hazards found in it, closed in it, and open past
    their deadline at its last day (an open hazard whose deadline is the last day is not late)."""
    start = period.replace(day=1)
    end = start.replace(day=monthrange(start.year, start.month)[1])
    units = dict(CreatingUnit.objects.filter(pk__in=creating_unit_ids).values_list("org_unit_id", "pk"))
    result = {pk: {"hazards_found": 0, "hazards_rectified": 0, "hazards_overdue": 0} for pk in units.values()}
    late_at_end = (Q(deadline__lt=end) & Q(found_on__lte=end)
                   & (~Q(status=Status.CLOSED) | Q(closed_on__gt=end)))
    rows = (Hazard.objects.filter(org_unit_id__in=units).values("org_unit_id").annotate(
        found=Count("pk", filter=Q(found_on__range=(start, end))),
        rectified=Count("pk", filter=Q(status=Status.CLOSED, closed_on__range=(start, end))),
        overdue=Count("pk", filter=late_at_end),
    ))
    for r in rows:
        result[units[r["org_unit_id"]]] = {"hazards_found": r["found"], "hazards_rectified": r["rectified"],
                                           "hazards_overdue": r["overdue"]}
    return result
