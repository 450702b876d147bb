"""Evidence for the expert's scoring page: safety promotion projects (E05) and their half-yearly
phase evaluations (E05, E08)."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PhaseEvaluation, Project


def evidence(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    if element not in ("E05", "E08"):
        return []
    org = creating_unit.org_unit
    this = timezone.localdate().year
    years = [year] if year else [this - 2, this - 1, this]
    rows = []
    if element == "E05":
        projects = Project.objects.filter(org_unit=org)
        by_status = dict(projects.values_list("status").annotate(n=Count("pk")).order_by())
        rows.append({"label": _("Safety promotion projects"), "url": None, "value": _(
            "%(total)s projects: %(running)s in progress, %(done)s completed") % {
            "total": sum(by_status.values()), "running": by_status.get(Project.Status.IN_PROGRESS, 0),
            "done": by_status.get(Project.Status.COMPLETED, 0)}})
    evaluations = dict(PhaseEvaluation.objects.filter(project__org_unit=org, year__in=years).values_list("year")
                       .annotate(n=Count("pk")).order_by())
    rows.append({"label": _("Phase evaluations of projects"), "url": None,
                 "value": "；".join(_("%(year)s: %(n)s") % {"year": y, "n": evaluations.get(y, 0)} for y in years)})
    return rows
