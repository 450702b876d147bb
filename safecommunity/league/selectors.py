"""The figures of the quarterly league table, from the apps' own selectors where they exist
(reports' completeness, the scorecard's rules met, the creation plan's quotas), for the city
(its districts) or a district (its townships in creation)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import contributions
from safecommunity.creation.models import DistrictPlan
from safecommunity.hazards.choices import Status as HazardStatus
from safecommunity.hazards.models import Hazard
from safecommunity.orgunits.models import CreatingUnit, OrgUnit
from safecommunity.reports.models import MonthlyReport
from safecommunity.reports.periods import current_period, deadline_at, due_dates, month_end
from safecommunity.reports.selectors import completeness
from safecommunity.scorecard.selectors import city_rollup, in_creation, scorecards

from .models import INDICATORS, Weights
from .ranking import Row, rank

LABELS = {
    "quota": _("Creation quota progress"),
    "timeliness": _("Monthly reports on time"),
    "closure": _("Hazards closed in time"),
    "obligations": _("Obligations met"),
    "survey": _("Survey results"),
}


@dataclass(frozen=True)
class Quarter:
    year: int
    q: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:
        return month_end(date(self.year, 3 * self.q, 1))

    @property
    def months(self) -> list[date]:
        """The quarter's months whose reports are due or being written (not the future)."""
        last = current_period()
        return [date(self.year, m, 1) for m in range(3 * self.q - 2, 3 * self.q + 1) if date(self.year, m, 1) <= last]

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def __str__(self) -> str:
        return f"{self.year} Q{self.q}"

    @classmethod
    def current(cls) -> "Quarter":
        today = timezone.localdate()
        return cls(today.year, (today.month - 1) // 3 + 1)


def weights() -> Weights:
    return Weights.objects.order_by("pk").first() or Weights()


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _closure(hazards, group: str, quarter: Quarter) -> dict:
    """Of the hazards whose deadline fell in the quarter and has passed, the share closed by
    it, per `group` (as hazards' obligation "closed in time"; nothing due counts 100)."""
    rows = (hazards.filter(deadline__gte=quarter.start, deadline__lte=quarter.end,
                           deadline__lt=timezone.localdate())
            .values(group).order_by()
            .annotate(due=Count("pk"), in_time=Count("pk", filter=Q(status=HazardStatus.CLOSED,
                                                                   closed_on__lte=F("deadline")))))
    return {r[group]: _pct(r["in_time"], r["due"]) for r in rows}


def _surveys(org_unit_ids: list[int], quarter: Quarter) -> dict[int, float]:
    """Survey results (0–100) from any app's `league.py`: survey_scores(org_unit_ids=, year=, quarter=)."""
    found: dict[int, float] = {}
    for module in contributions("league"):
        fn = getattr(module, "survey_scores", None)
        if fn:
            found.update(fn(org_unit_ids=org_unit_ids, year=quarter.year, quarter=quarter.q))
    return found


def district_rows(user, quarter: Quarter) -> list[Row]:
    """The city's table: one row per district in the user's scope."""
    districts = list(OrgUnit.objects.visible_to(user).districts().order_by("code"))
    ids = [d.pk for d in districts]
    quotas = {p.org_unit_id: p.quota for p in DistrictPlan.objects.filter(plan_year__year=quarter.year,
                                                                        org_unit_id__in=ids)}
    launched = dict(CreatingUnit.objects.filter(kind=CreatingUnit.Kind.TOWNSHIP, launch_year=quarter.year,
                                                launched_on__lte=quarter.end, org_unit__parent_id__in=ids)
                    .values("org_unit__parent_id").order_by().annotate(n=Count("pk"))
                    .values_list("org_unit__parent_id", "n"))
    reports = completeness(district_ids=ids, periods=quarter.months) if quarter.months else {}
    closure = _closure(Hazard.objects.filter(org_unit__parent_id__in=ids), "org_unit__parent_id", quarter)
    rollup = {r["district"].pk: r for r in city_rollup(user, quarter.year)}
    surveys = _surveys(ids, quarter)
    rows = []
    for d in districts:
        expected = sum(c.expected for (did, _p), c in reports.items() if did == d.pk)
        on_time = sum(c.on_time for (did, _p), c in reports.items() if did == d.pk)
        quota = quotas.get(d.pk)
        r = rollup.get(d.pk)
        rows.append(Row(key=d.code, name=d.name, values={
            "quota": None if quota is None else (100.0 if not quota else
                                                 round(min(100.0, 100 * launched.get(d.pk, 0) / quota), 1)),
            "timeliness": _pct(on_time, expected),
            "closure": closure.get(d.pk, 100.0),
            "obligations": float(r["pct"]) if r and r["rules_total"] else None,
            "survey": surveys.get(d.pk),
        }))
    return rows


def township_rows(user, district: OrgUnit, quarter: Quarter) -> list[Row]:
    """A district's table: one row per township in creation that year (no quota of its own)."""
    units = list(CreatingUnit.objects.visible_to(user).under(district.path)
                 .filter(in_creation(quarter.year), kind=CreatingUnit.Kind.TOWNSHIP)
                 .select_related("org_unit").order_by("org_unit__code"))
    org_ids = [u.org_unit_id for u in units]
    months = quarter.months
    dues = due_dates(months) if months else {}
    on_time = {}
    for rep in (MonthlyReport.objects.filter(kind=MonthlyReport.Kind.UNIT, org_unit_id__in=org_ids,
                                             period__in=months, status__in=MonthlyReport.RECEIVED)
                .values("org_unit_id", "period", "first_submitted_at")):
        if rep["first_submitted_at"] and rep["first_submitted_at"] < deadline_at(dues[rep["period"]]):
            on_time[rep["org_unit_id"]] = on_time.get(rep["org_unit_id"], 0) + 1
    closure = _closure(Hazard.objects.filter(org_unit_id__in=org_ids), "org_unit_id", quarter)
    cards = {c.unit.pk: c for c in scorecards(units, quarter.year)} if units else {}
    surveys = _surveys(org_ids, quarter)
    rows = []
    for u in units:
        expected = sum(1 for p in months if u.launched_on is None or u.launched_on <= month_end(p))
        card = cards.get(u.pk)
        rows.append(Row(key=u.org_unit.code, name=u.org_unit.name, values={
            "quota": None,
            "timeliness": _pct(on_time.get(u.org_unit_id, 0), expected),
            "closure": closure.get(u.org_unit_id, 100.0),
            "obligations": float(card.pct) if card and card.total else None,
            "survey": surveys.get(u.org_unit_id),
        }))
    return rows


def league_table(user, quarter: Quarter, district: OrgUnit | None = None) -> dict:
    """Rows ranked with the city's weights, with the change from last quarter's ranks."""
    w = weights().as_dict()

    def build(q):
        return district_rows(user, q) if district is None else township_rows(user, district, q)

    previous = {r.key: r.rank for r in rank(build(quarter.previous()), w)}
    rows = rank(build(quarter), w, previous)
    used = [k for k in INDICATORS if any(r.values.get(k) is not None for r in rows)]
    return {"rows": rows, "indicators": [(k, LABELS[k], w[k]) for k in used], "weights": w,
            "quarter": quarter, "district": district}
