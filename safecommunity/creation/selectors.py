"""Reads for pages, exports and the API. Every query starts from `visible_to(user)`."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from .choices import DEFAULT_PERCENTAGE, LATER_PHASE, PHASES
from .models import CreationTransition, DistrictPlan, PlanYear, quota_for
from .services import default_category

S = CreatingUnit.Status
DESIGNATED = (S.CITY, S.NATIONAL, S.INTERNATIONAL)


@dataclass
class PlanRow:
    district: OrgUnit
    plan: DistrictPlan
    townships: int
    quota: int
    launched_year: int = 0
    launched_total: int = 0
    other_launched: int = 0  # enterprise-led communities and parks (outside the quota)
    designated: int = 0

    @property
    def gap(self) -> int:
        return max(self.quota - self.launched_year, 0)

    @property
    def pct_met(self) -> float:
        if not self.quota:
            return 100.0
        return round(min(100.0, 100.0 * self.launched_year / self.quota), 1)


@dataclass
class PlanTotals:
    townships: int = 0
    quota: int = 0
    launched_year: int = 0
    launched_total: int = 0
    other_launched: int = 0
    designated: int = 0
    gap: int = 0
    rows: list = field(default_factory=list)


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def designations_by(user, *, year: int, cumulative: bool, status: str = S.CITY, group: str | None = None):
    """Units that got `status` (by the end of) `year`, counted once each, optionally per `group` field."""
    qs = CreationTransition.objects.visible_to(user).filter(to_status=status)
    qs = qs.filter(effective_on__lte=_year_end(year)) if cumulative else qs.filter(effective_on__year=year)
    if group:
        return dict(qs.values(group).annotate(n=Count("creating_unit", distinct=True)).values_list(group, "n"))
    return qs.aggregate(n=Count("creating_unit", distinct=True))["n"]


def plan_rows(user, plan: PlanYear) -> PlanTotals:
    """Per district in the user's scope: townships, quota, launched this year and in total, gap, designated."""
    year = plan.year
    rows = list(DistrictPlan.objects.visible_to(user).filter(plan_year=plan).select_related("org_unit"))
    launches = {
        r["org_unit__parent_id"]: r
        for r in CreatingUnit.objects.visible_to(user).filter(launch_year__isnull=False)
        .values("org_unit__parent_id")
        .annotate(
            year_n=Count("pk", filter=Q(kind=CreatingUnit.Kind.TOWNSHIP, launch_year=year)),
            total_n=Count("pk", filter=Q(kind=CreatingUnit.Kind.TOWNSHIP, launch_year__lte=year)),
            other_n=Count("pk", filter=~Q(kind=CreatingUnit.Kind.TOWNSHIP) & Q(launch_year__lte=year)),
        )
    }
    designated = designations_by(user, year=year, cumulative=True, group="creating_unit__org_unit__parent_id")
    totals = PlanTotals()
    for plan_row in rows:
        d = launches.get(plan_row.org_unit_id, {})
        row = PlanRow(
            district=plan_row.org_unit, plan=plan_row, townships=plan_row.township_count, quota=plan_row.quota,
            launched_year=d.get("year_n", 0), launched_total=d.get("total_n", 0), other_launched=d.get("other_n", 0),
            designated=designated.get(plan_row.org_unit_id, 0),
        )
        totals.rows.append(row)
        totals.townships += row.townships
        totals.quota += row.quota
        totals.launched_year += row.launched_year
        totals.launched_total += row.launched_total
        totals.other_launched += row.other_launched
        totals.designated += row.designated
        totals.gap += row.gap
    return totals


def city_progress(user, plan: PlanYear) -> list[dict]:
    """The city figures against the plan's targets (in the user's scope)."""
    year, cumulative = plan.year, plan.targets_cumulative
    units = CreatingUnit.objects.visible_to(user)
    launched = units.filter(launch_year__lte=year) if cumulative else units.filter(launch_year=year)
    result = [
        {"key": "launched", "label": S.LAUNCHED.label, "target": plan.target_launched, "actual": launched.count()},
    ]
    for key, status, target in (("city", S.CITY, plan.target_city), ("national", S.NATIONAL, plan.target_national),
                                ("international", S.INTERNATIONAL, plan.target_international)):
        result.append({"key": key, "label": S(status).label, "target": target,
                       "actual": designations_by(user, year=year, cumulative=cumulative, status=status)})
    result[-1]["target_label"] = plan.international_label
    for r in result:
        r.setdefault("target_label", str(r["target"]))
        r["pct"] = round(100 * r["actual"] / r["target"], 1) if r["target"] else None
    return result


def townships_not_launched(user, district: OrgUnit):
    return (
        CreatingUnit.objects.visible_to(user)
        .filter(org_unit__parent=district, status=S.NOT_STARTED)
        .select_related("org_unit")
        .order_by("org_unit__code")
    )


def launchable_units(user):
    """Units the user may launch now: not started, in scope (townships and enterprise/park units)."""
    return CreatingUnit.objects.visible_to(user).filter(status=S.NOT_STARTED).select_related("org_unit", "org_unit__parent")


def unit_history(user, unit: CreatingUnit):
    return (
        CreationTransition.objects.visible_to(user).filter(creating_unit=unit)
        .select_related("actor", "document").order_by("-effective_on", "-at", "-pk")
    )


def current_title(unit: CreatingUnit) -> CreationTransition | None:
    """The designation that gave the unit its present title (with its validity), if any."""
    if unit.status not in DESIGNATED:
        return None
    return unit.transitions.filter(to_status=unit.status).order_by("-effective_on", "-pk").first()


def phase_label(index: int):
    return PHASES.get(index, LATER_PHASE)


def three_year_view(user, district: OrgUnit, *, until: int | None = None) -> dict:
    """Launches and designations of a district's townships by year, against the path of
    一年打基础、二年上台阶、三年见成效 and its yearly percentage (every township within ~4 years)."""
    until = until or timezone.localdate().year
    units = CreatingUnit.objects.visible_to(user).filter(org_unit__parent=district)
    townships = units.filter(kind=CreatingUnit.Kind.TOWNSHIP)
    township_total = townships.count()
    first_launch = units.aggregate(y=Min("launch_year"))["y"]
    plans = {
        p.plan_year.year: p
        for p in DistrictPlan.objects.visible_to(user).filter(org_unit=district).select_related("plan_year")
    }
    start = min([y for y in [first_launch, *plans.keys()] if y] or [until])
    start = min(start, until)
    launches = dict(townships.filter(launch_year__isnull=False).values("launch_year").annotate(n=Count("pk"))
                    .values_list("launch_year", "n"))
    other = dict(units.exclude(kind=CreatingUnit.Kind.TOWNSHIP).filter(launch_year__isnull=False)
                 .values("launch_year").annotate(n=Count("pk")).values_list("launch_year", "n"))
    designations = {}
    for status in DESIGNATED:
        designations[status] = dict(
            CreationTransition.objects.visible_to(user)
            .filter(creating_unit__org_unit__parent=district, to_status=status)
            .values("effective_on__year").annotate(n=Count("creating_unit", distinct=True))
            .values_list("effective_on__year", "n")
        )
    rows, cumulative, expected = [], 0, 0
    for index, year in enumerate(range(start, until + 1), start=1):
        plan = plans.get(year)
        if plan:
            pct = plan.percentage
        else:
            pct = rows[-1]["percentage"] if rows else DEFAULT_PERCENTAGE[default_category(district)]
        quota = plan.quota if plan else quota_for(pct, township_total)
        launched = launches.get(year, 0)
        cumulative += launched
        expected = min(township_total, expected + quota)
        rows.append({
            "year": year, "phase": phase_label(index), "percentage": pct, "quota": quota, "launched": launched,
            "other_launched": other.get(year, 0), "cumulative": cumulative, "expected": expected,
            "cumulative_pct": round(100 * cumulative / township_total, 1) if township_total else 0.0,
            "expected_pct": round(100 * expected / township_total, 1) if township_total else 0.0,
            "city": designations[S.CITY].get(year, 0), "national": designations[S.NATIONAL].get(year, 0),
            "international": designations[S.INTERNATIONAL].get(year, 0),
        })
    remaining = max(township_total - cumulative, 0)
    last_quota = rows[-1]["quota"] if rows else 0
    years_to_full = -(-remaining // last_quota) if last_quota else None
    return {"district": district, "townships": township_total, "rows": rows, "remaining": remaining,
            "years_to_full": years_to_full, "first_launch": first_launch}


def titles(user):
    """Units holding a title now, with the date and validity of the designation that gave it."""
    return with_title(CreatingUnit.objects.visible_to(user))


def with_title(units):
    latest = (CreationTransition.objects.filter(creating_unit=OuterRef("pk"), to_status=OuterRef("status"))
              .order_by("-effective_on", "-pk"))
    return (
        units.filter(status__in=DESIGNATED)
        .annotate(title_since=Subquery(latest.values("effective_on")[:1]),
                  title_valid_until=Subquery(latest.values("valid_until")[:1]))
        .select_related("org_unit", "org_unit__parent")
        .order_by("title_valid_until", "org_unit__code")
    )
