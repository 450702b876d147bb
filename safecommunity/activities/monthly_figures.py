"""Figures of a month for the monthly progress report: trainings, their participants, drills."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Figure
from safecommunity.projects.selectors import month_add

from .models import Activity, Drill

FIGURES = [
    Figure(key="trainings", label=_("Publicity and training events"), order=10, unit=_("events")),
    Figure(key="training_participants", label=_("Participants in publicity and training"), order=11,
           unit=_("people")),
    Figure(key="drills", label=_("Emergency drills"), order=70, unit=_("drills")),
]


def monthly_figures(*, creating_unit_ids, period):
    start = period.replace(day=1)
    end = month_add(start, 1)
    result: dict[int, dict[str, int]] = {}
    rows = (Activity.objects.filter(org_unit__creating_unit__in=creating_unit_ids, held_on__gte=start, held_on__lt=end)
            .values("org_unit__creating_unit").annotate(n=Count("pk"), people=Sum("participants")).order_by())
    for r in rows:
        result.setdefault(r["org_unit__creating_unit"], {}).update(
            trainings=r["n"], training_participants=r["people"] or 0)
    rows = (Drill.objects.filter(org_unit__creating_unit__in=creating_unit_ids, held_on__gte=start, held_on__lt=end)
            .values("org_unit__creating_unit").annotate(n=Count("pk")).order_by())
    for r in rows:
        result.setdefault(r["org_unit__creating_unit"], {})["drills"] = r["n"]
    return result
