"""Read-only figures for the home pages. Everything starts from `visible_to(user)`.

One figure, one source: "launched" and "designated" are counted here, once, for every card that
shows them — the home's figures and its district table (`district_progress`), and the yearly plan
panel (creation.selectors.plan_rows counts a township as launched when it has a launch year, which
the launch transition always sets). "Launched" on the home page means townships (乡镇、街道), as in
the plan's quota and the district table; enterprise-led communities and parks are shown apart.
"""

from django.db.models import Count, Q

from safecommunity.core.figures_cache import cached_figures, scope_key, user_node
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

# What the home figures are counted from: a save or delete of either model recomputes them.
DEPENDS_ON = ("orgunits.CreatingUnit", "orgunits.OrgUnit")

DESIGNATED = [CreatingUnit.Status.CITY, CreatingUnit.Status.NATIONAL, CreatingUnit.Status.INTERNATIONAL]
TOWNSHIP = Q(kind=CreatingUnit.Kind.TOWNSHIP)
LAUNCHED = ~Q(status=CreatingUnit.Status.NOT_STARTED)
IS_DESIGNATED = Q(status__in=DESIGNATED)


def district_progress(user) -> list[dict]:
    """Per district in scope: townships, launched, designated, % launched (one query; kept in the
    figures cache per scope until a creating unit changes)."""
    return cached_figures("home.district_progress", scope=scope_key(user), depends_on=DEPENDS_ON,
                          node=user_node(user), compute=lambda: _district_progress(user))


def _district_progress(user) -> list[dict]:
    rows = (
        CreatingUnit.objects.visible_to(user)
        .filter(TOWNSHIP)
        .values("org_unit__parent__code", "org_unit__parent__name")
        .annotate(townships=Count("pk"), launched=Count("pk", filter=LAUNCHED),
                  designated=Count("pk", filter=IS_DESIGNATED))
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
    """The home's figures: townships, creating units, townships launched and designated (the sums of
    `district_progress`), and the other creating units (enterprise-led, parks) launched. Cached
    like `district_progress`."""
    return cached_figures("home.unit_status_totals", scope=scope_key(user), depends_on=DEPENDS_ON,
                          node=user_node(user), compute=lambda: _unit_status_totals(user))


def _unit_status_totals(user) -> dict:
    qs = CreatingUnit.objects.visible_to(user)
    agg = qs.aggregate(
        total=Count("pk"),
        townships=Count("pk", filter=TOWNSHIP),
        launched=Count("pk", filter=TOWNSHIP & LAUNCHED),
        designated=Count("pk", filter=TOWNSHIP & IS_DESIGNATED),
        other_launched=Count("pk", filter=~TOWNSHIP & LAUNCHED),
    )
    agg["districts"] = OrgUnit.objects.visible_to(user).districts().count()
    return agg
