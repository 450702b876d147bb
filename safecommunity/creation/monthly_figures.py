"""Figures of the monthly progress report that the creation lifecycle provides (see core/plugins.py)."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Figure
from safecommunity.orgunits.models import CreatingUnit

from .models import CreationTransition

FIGURES = [
    Figure(key="creation_launched", label=_("Launched this month"), order=5),
    Figure(key="creation_status_changes", label=_("Creation status changes"), order=6),
]


def _next_month(period: date) -> date:
    return date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def monthly_figures(*, creating_unit_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    rows = (
        CreationTransition.objects.filter(creating_unit_id__in=creating_unit_ids, effective_on__gte=period,
                                          effective_on__lt=_next_month(period))
        .values("creating_unit_id")
        .annotate(changes=Count("pk"), launched=Count("pk", filter=Q(to_status=CreatingUnit.Status.LAUNCHED)))
    )
    return {r["creating_unit_id"]: {"creation_launched": r["launched"], "creation_status_changes": r["changes"]}
            for r in rows}
