"""Figures of a month for the monthly progress report: phase evaluations made."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Figure

from .models import PhaseEvaluation
from .selectors import month_add

FIGURES = [Figure(key="project_evaluations", label=_("Project phase evaluations"), order=45, unit=_("times"))]


def monthly_figures(*, creating_unit_ids: list[int], period) -> dict[int, dict[str, int]]:
    start = period.replace(day=1)
    rows = (PhaseEvaluation.objects
            .filter(project__org_unit__creating_unit__in=creating_unit_ids, evaluated_on__gte=start,
                    evaluated_on__lt=month_add(start, 1))
            .values("project__org_unit__creating_unit").annotate(n=Count("pk")).order_by())
    return {r["project__org_unit__creating_unit"]: {"project_evaluations": r["n"]} for r in rows}
