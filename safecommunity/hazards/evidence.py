"""Evidence for the expert's scoring page: hazards found and closed, and the closure rate
(E03 risk identification, E11 corrective actions), per year found."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.scoping import within_q

from .choices import Status
from .models import Hazard


def evidence(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    if element not in ("E03", "E11"):
        return []
    this = timezone.localdate().year
    years = [year] if year else [this - 2, this - 1, this]
    rows = {r["found_on__year"]: r for r in Hazard.objects.filter(
        within_q("org_unit", creating_unit.org_unit), found_on__year__in=years).values(
        "found_on__year").annotate(n=Count("pk"), closed=Count("pk", filter=Q(status=Status.CLOSED))).order_by()}
    parts = []
    for y in years:
        n, closed = rows.get(y, {}).get("n", 0), rows.get(y, {}).get("closed", 0)
        rate = f"{100 * closed / n:.1f}%" if n else "—"
        parts.append(_("%(year)s: %(closed)s of %(n)s closed (%(rate)s)") % {
            "year": y, "closed": closed, "n": n, "rate": rate})
    return [{"label": _("Hazard closure rate"), "value": "；".join(parts), "url": None}]
