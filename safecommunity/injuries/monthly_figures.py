"""Monthly report figures: injuries recorded in the month, in all and by safety area."""

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from safecommunity.core.codelists import SAFETY_AREAS
from safecommunity.core.plugins import Figure
from safecommunity.orgunits.models import CreatingUnit

from .models import InjuryRecord

FIGURES = [Figure(key="injuries", label=_("Injuries recorded"), order=40, unit="例")] + [
    Figure(key=f"injuries_{code}", label=f"伤害：{name}", order=41 + i, unit="例")
    for i, (code, name, _en) in enumerate(SAFETY_AREAS)
]


def monthly_figures(*, creating_unit_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    org_of = dict(CreatingUnit.objects.filter(pk__in=creating_unit_ids).values_list("org_unit_id", "pk"))
    out: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        InjuryRecord.objects.filter(org_unit_id__in=org_of, occurred_on__year=period.year,
                                    occurred_on__month=period.month)
        .values_list("org_unit_id", "safety_area__code").annotate(n=Count("id"))
    )
    for org, area, n in rows:
        cu = org_of[org]
        out[cu]["injuries"] = out[cu].get("injuries", 0) + n
        out[cu][f"injuries_{area}"] = n
    return dict(out)


def injury_counts(*, creating_unit_ids: list[int], start: date, end: date, safety_area_code: str | None = None,
                  age_min: int | None = None, age_max: int | None = None) -> dict[str, int]:
    """Injuries per month ("YYYY-MM") of the units from `start` to `end` (inclusive), optionally of
    one safety area and an age range — the series a promotion project's page draws for its
    target group. One query."""
    org_ids = CreatingUnit.objects.filter(pk__in=creating_unit_ids).values_list("org_unit_id", flat=True)
    qs = InjuryRecord.objects.filter(org_unit_id__in=org_ids, occurred_on__gte=start, occurred_on__lte=end)
    if safety_area_code:
        qs = qs.filter(safety_area__code=safety_area_code)
    if age_min is not None:
        qs = qs.filter(age__gte=age_min)
    if age_max is not None:
        qs = qs.filter(age__lte=age_max)
    out: dict[str, int] = defaultdict(int)
    for day in qs.values_list("occurred_on", flat=True).iterator():
        out[f"{day:%Y-%m}"] += 1
    return dict(out)
