"""The figures of the command-centre big screen, read through the apps' own selectors (the
creation plan's quota progress, the reports' completeness, the hazard register's open/overdue,
the injury analysis's rate trend, the dashboard's unit totals); nothing computed anew."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safecommunity.core.figures_cache import cached_figures, scope_key, user_node
from safecommunity.core.scoping import within_q
from safecommunity.creation.models import CreationTransition, PlanYear
from safecommunity.creation.selectors import designations_by, plan_rows
from safecommunity.dashboards.selectors import district_progress
from safecommunity.hazards.choices import Status as HazardStatus
from safecommunity.hazards.models import Hazard, HazardStep
from safecommunity.injuries.selectors import analysis
from safecommunity.orgunits.models import CreatingUnit, OrgUnit
from safecommunity.reports.periods import current_period
from safecommunity.reports.selectors import Counts, completeness


def _under(qs, district):
    return qs.under(district) if district is not None else qs


# The tables the screen reads (tests/test_todos_cache.py checks it against the queries it runs): a
# write to any of them makes the next refresh compute afresh; until then a wall of screens and the
# offices that open the page share one computation.
DEPENDS_ON = (
    "core.CodeItem", "core.CodeList",
    "creation.CreationTransition", "creation.DistrictPlan", "creation.PlanYear",
    "hazards.Hazard", "hazards.HazardStep",
    "injuries.InjuryStat", "injuries.Population", "injuries.PopulationCount",
    "orgunits.CreatingUnit", "orgunits.OrgUnit",
    "reports.MonthlyReport", "reports.ReportDeadline",
)


def screen(user, district: OrgUnit | None = None) -> dict:
    """The screen's figures for the city (`district` None) or one district, kept in the figures cache."""
    scope = "|".join([scope_key(user), district.code if district else "", str(timezone.localdate()),
                      translation.get_language() or ""])
    return cached_figures("bigscreen", scope=scope, depends_on=DEPENDS_ON, node=user_node(user),
                          compute=lambda: _screen(user, district))


def _screen(user, district: OrgUnit | None) -> dict:
    today = timezone.localdate()
    year, period = today.year, current_period()
    districts = list(OrgUnit.objects.visible_to(user).districts().order_by("code"))
    if district is not None:
        districts = [d for d in districts if d.pk == district.pk]

    # the district map: this year's quota progress (launched against quota), per district
    plan = PlanYear.objects.visible_to(user).filter(year=year).first()
    quota = {r.district.code: r.pct_met for r in plan_rows(user, plan).rows} if plan else {}

    # this month's unit reports: received and on time, per district and in all
    counts = completeness(district_ids=[d.pk for d in districts], periods=[period])
    total, per_district = Counts(), []
    for d in districts:
        c = counts.get((d.pk, period), Counts())
        total.add(c)
        per_district.append({"name": d.name, "completeness": c.completeness, "timeliness": c.timeliness})

    # hazards: open, overdue (the register's own QuerySet methods), found and closed this month
    hazards = _under(Hazard.objects.visible_to(user), district)
    month_start = today.replace(day=1)
    hazard_figures = {
        "open": hazards.open().count(),
        "overdue": hazards.overdue(today).count(),
        "found_month": hazards.filter(found_on__gte=month_start).count(),
        "closed_month": hazards.filter(status=HazardStatus.CLOSED, closed_on__gte=month_start).count(),
    }

    # injuries: the rate per 1000 by year, for the city or the district
    root = district or OrgUnit.objects.filter(level=OrgUnit.Level.CITY).first()
    trend = analysis(user, root, year).trend if root is not None else []

    # townships launched and designated (the home page's per-district progress)
    progress = [r for r in district_progress(user) if district is None or r["code"] == district.code]
    units = {k: sum(r[k] for r in progress) for k in ("townships", "launched", "designated")}
    # titles held: Chongqing / national / international safe communities (creation's own count)
    group = "creating_unit__org_unit__parent_id"
    designations = {}
    for key, status in (("city", CreatingUnit.Status.CITY), ("national", CreatingUnit.Status.NATIONAL),
                        ("international", CreatingUnit.Status.INTERNATIONAL)):
        if district is None:
            designations[key] = designations_by(user, year=year, cumulative=True, status=status)
        else:
            designations[key] = designations_by(user, year=year, cumulative=True, status=status,
                                                group=group).get(district.pk, 0)

    events = latest_events(user, district)
    return {
        "title": _("%(place)s safe community creation") % {"place": district.name if district else _("Chongqing")},
        "updated": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
        "period": period.strftime("%Y-%m"),
        "map": [{"code": d.code, "name": d.name, "value": quota.get(d.code)} for d in
                OrgUnit.objects.visible_to(user).districts().order_by("code")],
        "reports": {"expected": total.expected, "submitted": total.submitted, "on_time": total.on_time,
                    "completeness": total.completeness, "timeliness": total.timeliness,
                    "districts": per_district},
        "hazards": hazard_figures,
        "injury_trend": [{"year": r.label, "rate": r.rate, "count": r.count} for r in trend][-8:],
        "units": units,
        "designations": designations,
        "events": events,
    }


def latest_events(user, district: OrgUnit | None, n: int = 8) -> list[dict]:
    """The latest hazard steps and creation status changes, newest first."""
    steps = HazardStep.objects.visible_to(user).select_related("hazard__org_unit")
    if district is not None:
        steps = steps.filter(within_q("hazard__org_unit", district))
    moves = _under(CreationTransition.objects.visible_to(user), district).select_related("creating_unit__org_unit")
    events = [{"at": s.at, "text": f"{s.hazard.org_unit.name} · {s.get_action_display()} · {s.hazard.number}"}
              for s in steps.order_by("-at")[:n]]
    events += [{"at": m.at, "text": f"{m.creating_unit.org_unit.name} · {m.get_to_status_display()}"}
               for m in moves.order_by("-at")[:n]]
    events.sort(key=lambda e: e["at"], reverse=True)
    return [{"at": timezone.localtime(e["at"]).strftime("%m-%d %H:%M"), "text": e["text"]} for e in events[:n]]
