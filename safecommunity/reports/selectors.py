"""Reads for the pages, the API and exports: status board, completeness, reconciliation, diffs.

Expected units (the denominator of completeness): a creating unit is expected to report for
month M when its creation status is not "not started" and it launched on or before the last
day of M (a unit with no launch date recorded is expected for every month). Only their
reports count as received, so completeness never exceeds 100%. A report counts as received
(submitted) when it is submitted or approved at either level — an explicit nil report counts;
a draft, a returned report or no report at all does not. On time: first submitted before the
end of the due day (see periods.py).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import figures as fig
from .models import MonthlyReport, ReportStep
from .periods import add_months, current_period, deadline_at, due_dates, is_on_time, month_end, summary_due

S = MonthlyReport.Status
K = MonthlyReport.Kind


def expected_unit_rows(*, period: date, district_ids: list[int] | None = None, units=None):
    """The creating units expected to report for `period` (in these districts; among `units`, a
    CreatingUnit queryset, when given)."""
    qs = (CreatingUnit.objects.all() if units is None else units).exclude(status=CreatingUnit.Status.NOT_STARTED)
    qs = qs.filter(Q(launched_on__isnull=True) | Q(launched_on__lte=month_end(period)))
    if district_ids is not None:
        qs = qs.filter(org_unit__parent_id__in=district_ids)
    return qs.values("pk", "org_unit_id", "org_unit__parent_id", "org_unit__name", "org_unit__code").order_by(
        "org_unit__code")


def own_report_unit(user) -> OrgUnit | None:
    """The unit whose monthly report `user` writes: a district office its district (the summary),
    a unit its own."""
    from .permissions import writes_summary

    return user.district if writes_summary(user) else user.org_unit


def scope_districts(user, district: OrgUnit | None = None):
    """The districts a user's boards and tables cover (a district chosen by the city narrows it):
    the districts among the org units the user sees (the city: all; a district office: its own;
    a creating unit: none — a unit never reads its district's figures)."""
    qs = OrgUnit.objects.visible_to(user).districts()
    if district is not None:
        qs = qs.filter(pk=district.pk)
    return qs.order_by("code")


# --- reconciliation ---------------------------------------------------------------------------

def reconcile_reports(reports) -> dict[int, list[dict]]:
    """{report pk: differences} for reports whose snapshot no longer matches the records."""
    from .services import district_summary_figures

    reports = list(reports)
    result: dict[int, list[dict]] = {}
    unit_reports = [r for r in reports if r.kind == K.UNIT]
    by_period: dict[date, list] = {}
    for r in unit_reports:
        by_period.setdefault(r.period, []).append(r)
    for period, group in by_period.items():
        cu_by_org = dict(CreatingUnit.objects.filter(org_unit_id__in=[r.org_unit_id for r in group])
                         .values_list("org_unit_id", "pk"))
        live = fig.collect_unit_figures(creating_unit_ids=list(cu_by_org.values()), period=period)
        for r in group:
            cu = cu_by_org.get(r.org_unit_id)
            diff = fig.figures_difference(r.figures, live.get(cu, {}) if cu else {})
            if diff:
                result[r.pk] = diff
    for r in reports:
        if r.kind == K.DISTRICT:
            diff = fig.figures_difference(r.figures, district_summary_figures(district=r.org_unit, period=r.period))
            if diff:
                result[r.pk] = diff
    return result


def report_reconcile(report: MonthlyReport) -> list[dict]:
    return reconcile_reports([report]).get(report.pk, [])


# --- versions ---------------------------------------------------------------------------------

def report_diff(report: MonthlyReport) -> dict | None:
    """What changed between the last two submitted versions (None before a resubmission)."""
    versions = list(report.versions.order_by("-number")[:2])
    if len(versions) < 2:
        return None
    new, old = versions
    from django.utils.translation import gettext as _

    changes = []
    labels = {"is_nil": _("nil report"), "signed_by_name": _("signed by"), "work_done": _("work done this month"),
              "problems": _("problems"), "next_plans": _("plans for next month")}
    for name, label in labels.items():
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            changes.append({"field": name, "label": label, "old": a, "new": b})
    for row in fig.figures_difference(old.figures, new.figures):
        changes.append({"field": f"figures.{row['key']}", "label": row["label"], "old": row["reported"],
                        "new": row["current"]})
    return {"old": old, "new": new, "changes": changes}


# --- status board -----------------------------------------------------------------------------

@dataclass
class BoardRow:
    org_unit_id: int
    code: str
    name: str
    report: MonthlyReport | None = None
    expected: bool = True
    on_time: bool | None = None
    late: bool = False
    differences: list = field(default_factory=list)
    received: int = 0  # district rows: units' reports received
    expected_units: int = 0
    on_time_units: int = 0

    @property
    def state(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def is_nil(self) -> bool:
        return bool(self.report and self.report.is_nil)


def status_board_units(*, user, period: date, district: OrgUnit | None = None) -> list[BoardRow]:
    """One row per creating unit in scope (a district's units; a unit: its own row only): its
    report's state, who acted and when, on time or late."""
    units = CreatingUnit.objects.visible_to(user)
    reports = MonthlyReport.objects.visible_to(user).filter(period=period, kind=K.UNIT)
    if district is not None:
        units, reports = units.filter(org_unit__parent=district), reports.filter(district=district)
    expected = list(expected_unit_rows(period=period, units=units))
    reports = {r.org_unit_id: r for r in reports.select_related("org_unit", "last_actor", "signed_by")}
    due = due_dates([period])[period]
    late_now = timezone.now() >= deadline_at(due)
    rows = {}
    for e in expected:
        rows[e["org_unit_id"]] = BoardRow(org_unit_id=e["org_unit_id"], code=e["org_unit__code"],
                                          name=e["org_unit__name"])
    for org_unit_id, r in reports.items():
        row = rows.get(org_unit_id)
        if row is None:
            row = rows[org_unit_id] = BoardRow(org_unit_id=org_unit_id, code=r.org_unit.code, name=r.org_unit.name,
                                               expected=False)
        row.report = r
    for row in rows.values():
        r = row.report
        row.on_time = is_on_time(r.first_submitted_at, due) if r else None
        row.late = row.on_time is False or (row.on_time is None and late_now)
    return sorted(rows.values(), key=lambda x: x.code)


def attach_differences(rows: list[BoardRow]) -> None:
    """Flag rows whose report awaits review and no longer reconciles (only the rows shown)."""
    pending = [r.report for r in rows if r.report and r.report.status in (S.SUBMITTED, S.DISTRICT_APPROVED)]
    diffs = reconcile_reports(pending)
    for row in rows:
        if row.report is not None:
            row.differences = diffs.get(row.report.pk, [])


def status_board_districts(*, user, period: date) -> list[BoardRow]:
    """The city's board: one row per district — its summary's state and its units' completeness."""
    districts = list(scope_districts(user).values("pk", "code", "name"))
    unit_dues = due_dates([period])
    counts = completeness(district_ids=[d["pk"] for d in districts], periods=[period], dues=unit_dues)
    summaries = {r.org_unit_id: r for r in MonthlyReport.objects.visible_to(user).filter(
        period=period, kind=K.DISTRICT).select_related("org_unit", "last_actor")}
    due = summary_due(unit_dues[period])
    late_now = timezone.now() >= deadline_at(due)
    rows = []
    for d in districts:
        c = counts.get((d["pk"], period), Counts())
        r = summaries.get(d["pk"])
        row = BoardRow(org_unit_id=d["pk"], code=d["code"], name=d["name"], report=r, expected=c.expected > 0,
                       received=c.submitted, expected_units=c.expected, on_time_units=c.on_time)
        row.on_time = is_on_time(r.first_submitted_at, due) if r else None
        row.late = row.on_time is False or (row.on_time is None and late_now and row.expected)
        rows.append(row)
    return rows


# --- completeness and timeliness --------------------------------------------------------------

@dataclass
class Counts:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    nil: int = 0

    def add(self, other: "Counts") -> None:
        self.expected += other.expected
        self.submitted += other.submitted
        self.on_time += other.on_time
        self.nil += other.nil

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def completeness(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


def received_counts_query(*, district_ids: list[int], periods: list[date], dues: dict[date, date]):
    """One grouped query: reports received from units expected that month (launched by its end),
    counted per district and month; on time when first submitted before that month's deadline."""
    expected_q = Q()
    on_time_whens = []
    for p in periods:
        expected_q |= Q(period=p) & (Q(org_unit__creating_unit__launched_on__isnull=True)
                                     | Q(org_unit__creating_unit__launched_on__lte=month_end(p)))
        on_time_whens.append(When(period=p, first_submitted_at__lt=deadline_at(dues[p]), then=Value(1)))
    return (MonthlyReport.objects.filter(
        kind=K.UNIT, period__gte=periods[0], period__lte=periods[-1], status__in=MonthlyReport.RECEIVED,
        district_id__in=district_ids).exclude(org_unit__creating_unit__status=CreatingUnit.Status.NOT_STARTED)
        .filter(expected_q)
        .values("district_id", "period").order_by()
        .annotate(submitted=Count("pk"), nil=Count("pk", filter=Q(is_nil=True)),
                  on_time=Sum(Case(*on_time_whens, default=Value(0), output_field=IntegerField()))))


def completeness(*, district_ids: list[int], periods: list[date],
                 dues: dict[date, date] | None = None) -> dict[tuple[int, date], Counts]:
    """{(district id, period): Counts} for the unit reports of these districts and months."""
    periods = sorted(set(periods))
    if not periods or not district_ids:
        return {}
    units = list(CreatingUnit.objects.exclude(status=CreatingUnit.Status.NOT_STARTED)
                 .filter(org_unit__parent_id__in=district_ids)
                 .values_list("org_unit_id", "org_unit__parent_id", "launched_on"))
    dues = dues or due_dates(periods)
    result: dict[tuple[int, date], Counts] = {}
    expected_sets: dict[date, set] = {}
    for p in periods:
        end = month_end(p)
        ids = set()
        for org_unit_id, district_id, launched_on in units:
            if launched_on is None or launched_on <= end:
                ids.add(org_unit_id)
                result.setdefault((district_id, p), Counts()).expected += 1
        expected_sets[p] = ids
    rows = received_counts_query(district_ids=district_ids, periods=periods, dues=dues)
    for row in rows:
        if row["period"] not in expected_sets:
            continue
        c = result.setdefault((row["district_id"], row["period"]), Counts())
        c.submitted += row["submitted"]
        c.nil += row["nil"]
        c.on_time += row["on_time"] or 0
    return result


def year_periods(year: int) -> list[date]:
    """The months of `year` whose reports are already due or being written (not the future)."""
    last = current_period()
    return [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= last]


def completeness_by_month(*, district: OrgUnit, year: int) -> list[tuple[date, Counts]]:
    periods = year_periods(year)
    data = completeness(district_ids=[district.pk], periods=periods)
    return [(p, data.get((district.pk, p), Counts())) for p in periods]


def completeness_by_district(*, user, year: int) -> tuple[list[date], list[dict], Counts]:
    """Rows per district: {district, months: [Counts per month], total: Counts}; and the city total."""
    periods = year_periods(year)
    districts = list(scope_districts(user).values("pk", "code", "name"))
    data = completeness(district_ids=[d["pk"] for d in districts], periods=periods)
    rows, city = [], Counts()
    for d in districts:
        months = [data.get((d["pk"], p), Counts()) for p in periods]
        total = Counts()
        for c in months:
            total.add(c)
        city.add(total)
        rows.append({"district": d, "months": months, "total": total})
    return periods, rows, city


# --- summaries --------------------------------------------------------------------------------

def city_summary(*, user, period: date) -> dict:
    """The city's monthly summary: each district's approved summary, and the city totals."""
    districts = list(scope_districts(user))
    reports = {r.org_unit_id: r for r in MonthlyReport.objects.visible_to(user).filter(
        period=period, kind=K.DISTRICT, org_unit__in=districts).select_related("org_unit")}
    keys = [(f.key, str(f.label)) for f in fig.figure_definitions() + fig.district_figure_definitions()]
    from django.utils.translation import gettext as _

    keys = [("units_expected", _("Units expected to report")), ("unit_reports_approved", _("Unit reports approved")),
            ("unit_nil_reports", _("Nil reports"))] + keys
    rows, totals = [], {k: 0 for k, _label in keys}
    for d in districts:
        r = reports.get(d.pk)
        approved = r is not None and r.status == S.APPROVED
        values = [(r.figures or {}).get(k, 0) if approved else None for k, _label in keys]
        if approved:
            for k, _label in keys:
                totals[k] += fig._as_int((r.figures or {}).get(k))
        rows.append({"district": d, "report": r, "approved": approved, "values": values})
    return {"period": period, "keys": keys, "rows": rows, "totals": [totals[k] for k, _l in keys],
            "approved_count": sum(1 for r in rows if r["approved"])}


def recent_steps(report: MonthlyReport):
    return ReportStep.objects.filter(report=report).select_related("actor").order_by("at", "pk")


def previous_periods(n: int = 24) -> list[date]:
    last = current_period()
    return [add_months(last, -i) for i in range(n)]
