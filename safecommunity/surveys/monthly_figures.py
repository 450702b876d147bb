"""Figures of a month for the monthly progress report: survey questionnaires collected."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Figure
from safecommunity.projects.selectors import month_add

from .models import Response

FIGURES = [
    Figure(key="survey_responses", label=_("Survey questionnaires collected"), order=80, unit=_("questionnaires")),
]


def monthly_figures(*, creating_unit_ids, period):
    start = period.replace(day=1)
    end = month_add(start, 1)
    rows = (Response.objects.filter(round__org_unit__creating_unit__in=creating_unit_ids,
                                    submitted_at__date__gte=start, submitted_at__date__lt=end)
            .values("round__org_unit__creating_unit").annotate(n=Count("pk")).order_by())
    return {r["round__org_unit__creating_unit"]: {"survey_responses": r["n"]} for r in rows}
