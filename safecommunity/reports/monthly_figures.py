"""This app's own contribution to the monthly figures: the unit's launch status, and for district
summaries the launches of the month (read from orgunits.CreatingUnit)."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Figure
from safecommunity.orgunits.models import CreatingUnit

from .periods import month_end

FIGURES = [Figure(key="launched", label=_("Creation launched (units)"), order=10)]

DISTRICT_FIGURES = [
    Figure(key="district_launches", label=_("Units launched this month"), order=11, unit=_("units")),
    Figure(key="district_units_in_creation", label=_("Units in creation at month end"), order=12, unit=_("units")),
]


def monthly_figures(*, creating_unit_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    end = month_end(period)
    rows = (CreatingUnit.objects.filter(pk__in=creating_unit_ids)
            .exclude(status=CreatingUnit.Status.NOT_STARTED)
            .filter(Q(launched_on__isnull=True) | Q(launched_on__lte=end))
            .values_list("pk", flat=True))
    launched = set(rows)
    return {cid: {"launched": 1 if cid in launched else 0} for cid in creating_unit_ids}


def district_figures(*, district_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    end = month_end(period)
    units = CreatingUnit.objects.filter(org_unit__parent_id__in=district_ids).exclude(
        status=CreatingUnit.Status.NOT_STARTED)
    rows = units.values("org_unit__parent_id").annotate(
        launches=Count("pk", filter=Q(launched_on__gte=period, launched_on__lte=end)),
        in_creation=Count("pk", filter=Q(launched_on__isnull=True) | Q(launched_on__lte=end)),
    )
    result = {did: {"district_launches": 0, "district_units_in_creation": 0} for did in district_ids}
    for r in rows:
        result[r["org_unit__parent_id"]] = {"district_launches": r["launches"],
                                            "district_units_in_creation": r["in_creation"]}
    return result
