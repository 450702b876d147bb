"""Evidence for the expert's scoring page: injury rates per 1,000 population with a 95%
confidence interval, per year (E03 risk assessment, E09 injury records).

The interval of a rate is the Poisson one by the log method, as the rate ratios of stats.py:
rate · exp(±1.96 / √n); with no case there is no interval."""

import math

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.scoping import within_q

from . import stats
from .models import InjuryRecord, Population


def rate_with_ci(cases: int, population: int | None) -> tuple[float, float, float] | None:
    """(rate, low, high) per 1,000; None without a population or without a case."""
    rate = stats.rate_per_1000(cases, population)
    if rate is None or cases == 0:
        return None
    half = stats.Z95 / math.sqrt(cases)
    return rate, rate * math.exp(-half), rate * math.exp(half)


def evidence(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    if element not in ("E03", "E09"):
        return []
    org = creating_unit.org_unit
    this = timezone.localdate().year
    years = [year] if year else [this - 2, this - 1, this]
    counts = dict(InjuryRecord.objects.filter(within_q("org_unit", org), occurred_on__year__in=years)
                  .annotate(y=ExtractYear("occurred_on")).values("y").annotate(n=Count("pk")).values_list("y", "n"))
    pops = {}
    for y, total, workforce in Population.objects.filter(org_unit=org, year__in=years).values_list(
            "year", "total", "workforce"):
        pops[y] = workforce if org.level in ("enterprise", "park") and workforce else total
    parts = []
    for y in years:
        n = counts.get(y, 0)
        ci = rate_with_ci(n, pops.get(y))
        if ci is not None:
            parts.append(_("%(year)s: %(rate).2f‰ (95%% CI %(low).2f–%(high).2f‰), n=%(n)s") % {
                "year": y, "rate": ci[0], "low": ci[1], "high": ci[2], "n": n})
        elif pops.get(y):
            parts.append(_("%(year)s: %(n)s cases, population %(pop)s") % {"year": y, "n": n, "pop": pops[y]})
        else:
            parts.append(_("%(year)s: %(n)s cases, no population recorded") % {"year": y, "n": n})
    return [{"label": _("Injury rate per 1,000"), "value": "；".join(parts), "url": None}]
