"""Scorecard rules of notice 四(二)/(三): ≥ 7 promotion projects; each evaluated every half year it ran."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name

from .models import PhaseEvaluation, Project, halves_between

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
    "projects.PhaseEvaluation",
    "projects.Project",
)


def running_in(year: int) -> Q:
    return (Q(start_on__lte=date(year, 12, 31)) & (Q(end_on__isnull=True) | Q(end_on__gte=date(year, 1, 1)))
            & ~Q(status=Project.Status.CANCELLED))


def count_projects(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    rows = (Project.objects.filter(running_in(year), org_unit__creating_unit__in=creating_unit_ids)
            .values("org_unit__creating_unit").annotate(n=Count("pk")).order_by())
    return {r["org_unit__creating_unit"]: r["n"] for r in rows}


def count_evaluated_pct(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    """Per unit: the percentage (rounded down) of project half-years of `year` that have their
    phase evaluation. Units without a project running that year count 0 (nothing to show)."""
    running = Project.objects.filter(running_in(year), org_unit__creating_unit__in=creating_unit_ids)
    projects = list(running.values_list("pk", "org_unit__creating_unit", "start_on", "end_on"))
    done = set(PhaseEvaluation.objects.filter(year=year, project__in=running.values("pk"))
               .values_list("project_id", "half"))
    required: dict[int, int] = defaultdict(int)
    evaluated: dict[int, int] = defaultdict(int)
    for pk, unit_id, start, end in projects:
        for half in halves_between(start, end, year):
            required[unit_id] += 1
            evaluated[unit_id] += (pk, half) in done
    return {u: (100 * evaluated[u]) // n for u, n in required.items() if n}


def projects_url(unit, year: int) -> str:
    return f"{reverse_name('projects:project_list')}?unit={unit.code}&year={year}"


def evaluations_url(unit, year: int) -> str:
    return f"{reverse_name('projects:evaluation_list')}?unit={unit.code}&year={year}"


OBLIGATIONS = [
    Obligation(key="promotion_projects", label=_("At least 7 safety promotion projects"), default_minimum=7,
               count=count_projects, url=projects_url, unit=_("projects"), order=40),
    Obligation(key="project_evaluations", label=_("Each project evaluated in each half year it ran"),
               default_minimum=100, count=count_evaluated_pct, url=evaluations_url, unit="%", order=45),
]
