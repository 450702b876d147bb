"""Read-only figures for the home pages. Everything starts from `visible_to(user)`."""

from django.db.models import Count, Q

from safecommunity.orgunits.models import CreatingUnit, OrgUnit

DESIGNATED = [CreatingUnit.Status.CITY, CreatingUnit.Status.NATIONAL, CreatingUnit.Status.INTERNATIONAL]


def district_progress(user) -> list[dict]:
    """Per district in scope: townships, launched, designated, % launched (one query)."""
    rows = (
        CreatingUnit.objects.visible_to(user)
        .filter(kind=CreatingUnit.Kind.TOWNSHIP)
        .values("org_unit__parent__code", "org_unit__parent__name")
        .annotate(
            townships=Count("pk"),
            launched=Count("pk", filter=~Q(status=CreatingUnit.Status.NOT_STARTED)),
            designated=Count("pk", filter=Q(status__in=DESIGNATED)),
        )
        .order_by("org_unit__parent__code")
    )
    result = []
    for r in rows:
        total = r["townships"] or 0
        result.append({
            "code": r["org_unit__parent__code"], "name": r["org_unit__parent__name"], "townships": total,
            "launched": r["launched"], "designated": r["designated"],
            "launched_pct": round(100 * r["launched"] / total, 1) if total else 0.0,
        })
    return result


def unit_status_totals(user) -> dict:
    qs = CreatingUnit.objects.visible_to(user)
    agg = qs.aggregate(
        total=Count("pk"),
        townships=Count("pk", filter=Q(kind=CreatingUnit.Kind.TOWNSHIP)),
        launched=Count("pk", filter=~Q(status=CreatingUnit.Status.NOT_STARTED)),
        designated=Count("pk", filter=Q(status__in=DESIGNATED)),
    )
    agg["districts"] = OrgUnit.objects.visible_to(user).districts().count()
    return agg
