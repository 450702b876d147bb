"""Evidence for the expert's scoring page: publicity and training events (E06), emergency drills
(E07), counted per year over the last three years (or the year asked)."""

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Activity, Drill


def _years(year):
    this = timezone.localdate().year
    return [year] if year else [this - 2, this - 1, this]


def _per_year(qs, years) -> str:
    rows = {r["held_on__year"]: r for r in qs.filter(held_on__year__in=years).values("held_on__year").annotate(
        n=Count("pk"), people=Sum("participants")).order_by()}
    return "；".join(_("%(year)s: %(n)s, %(people)s participants") % {
        "year": y, "n": rows.get(y, {}).get("n", 0), "people": rows.get(y, {}).get("people") or 0} for y in years)


def evidence(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    org = creating_unit.org_unit
    years = _years(year)
    if element == "E06":
        qs = Activity.objects.filter(org_unit=org)
        return [{"label": _("Publicity and training events"), "value": _per_year(qs, years), "url": None}]
    if element == "E07":
        qs = Drill.objects.filter(org_unit=org)
        return [{"label": _("Emergency drills"), "value": _per_year(qs, years), "url": None}]
    return []
