"""Reads of injury surveillance: the analysis of a unit, district or the city, and the
evaluation of an intervention's effect. Every query starts from `visible_to(user)`.

The analysis reads the summary table (InjuryStat, kept up to date on write) when it can: for
the city and district offices and creating units without a safety-area filter. A municipal
department (its safety areas only) or a filtered analysis reads the records themselves."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import OrgUnit

from . import choices, stats
from .models import InjuryRecord, InjuryStat, NilReport, Population, PopulationCount, ReportingSource

DIMENSIONS = [
    ("area", _("Safety area")),
    ("age", _("Age band")),
    ("sex", _("Sex")),
    ("mechanism", _("Mechanism (cause)")),
    ("severity", _("Severity")),
    ("month", _("Month")),
]
RECORD_FIELDS = {
    "area": "safety_area_id",
    "age": "age_band",
    "sex": "sex",
    "mechanism": "mechanism_id",
    "severity": "severity_id",
}


def analysis_unit(user, code: str = "") -> OrgUnit:
    """The unit an analysis is about: the unit with `code` among those the user sees, else the
    user's own unit (a district office, a creating unit), else the city. Not seen: 404."""
    from django.shortcuts import get_object_or_404

    units = OrgUnit.objects.visible_to(user)
    code = (code or "").strip()
    if code:
        return get_object_or_404(units, code=code)
    if user.role in (Role.DISTRICT, Role.UNIT) and user.org_unit_id:
        return get_object_or_404(units, pk=user.org_unit_id)
    return get_object_or_404(units, level=OrgUnit.Level.CITY)


def analysis_year(params, default: int) -> int:
    """The year asked for (?year=), `default` when absent; a year without figures (before 2000,
    after this year, not a year) is refused (core.params.BadParameter: 400 naming the field), not
    answered with another year's figures."""
    from safecommunity.core.params import year_param

    return year_param(params, default, high=timezone.localdate().year)


def code_labels() -> dict[str, str]:
    """{str(id): name} of every item of the lists an analysis shows."""
    keys = [choices.SAFETY_AREA, choices.MECHANISM, choices.SEVERITY]
    return {str(i.pk): str(i) for i in CodeItem.objects.filter(codelist__key__in=keys)}


def code_order() -> dict[str, int]:
    return {str(pk): n for n, pk in enumerate(
        CodeItem.objects.filter(codelist__key__in=[choices.SAFETY_AREA, choices.MECHANISM, choices.SEVERITY])
        .order_by("codelist__key", "sort_order", "code").values_list("pk", flat=True))}


@dataclass
class Row:
    key: str
    label: str
    count: int
    rate: float | None = None
    share: float | None = None
    url: str = ""
    population: int | None = None


@dataclass
class Analysis:
    unit: OrgUnit
    year: int
    area: CodeItem | None
    source: str  # "summary" or "records"
    total: int = 0
    population: int = 0
    rate: float | None = None
    missing: list = field(default_factory=list)  # [(unit name, record count)] without population
    missing_count: int = 0
    breakdowns: dict = field(default_factory=dict)  # dim -> [Row]
    trend: list = field(default_factory=list)  # [Row] per year
    top: list = field(default_factory=list)  # [Row]
    children: list = field(default_factory=list)  # [Row] per district or unit
    map_values: dict = field(default_factory=dict)  # district code -> rate
    years: list = field(default_factory=list)


class _Source:
    """Counts by dimension from the summary table or from the records."""

    def __init__(self, user, unit: OrgUnit, area: CodeItem | None):
        self.user = user
        self.unit = unit
        self.area = area
        self.use_summary = area is None and user.role != Role.DEPARTMENT
        self.name = "summary" if self.use_summary else "records"

    def _stats(self, year=None):
        qs = InjuryStat.objects.visible_to(self.user).under(self.unit.path)
        return qs.filter(year=year) if year is not None else qs

    def _records(self, year=None):
        qs = InjuryRecord.objects.visible_to(self.user).under(self.unit.path)
        if self.area is not None:
            qs = qs.filter(safety_area=self.area)
        return qs.filter(occurred_on__year=year) if year is not None else qs

    def counts(self, dim: str, year: int, exclude_units=()) -> dict[str, int]:
        if self.use_summary:
            qs = self._stats(year).filter(dimension=dim)
            if exclude_units:
                qs = qs.exclude(org_unit_id__in=exclude_units)
            return {k: n for k, n in qs.values("key").annotate(n=Sum("count")).values_list("key", "n")}
        qs = self._records(year)
        if exclude_units:
            qs = qs.exclude(org_unit_id__in=exclude_units)
        if dim == "month":
            qs = qs.annotate(k=ExtractMonth("occurred_on")).values("k")
        elif dim == "problem":
            rows = qs.values("safety_area_id", "mechanism_id").annotate(n=Count("id"))
            return {f"{r['safety_area_id']}:{r['mechanism_id']}": r["n"] for r in rows}
        else:
            qs = qs.values(k=F(RECORD_FIELDS[dim]))
        return {str(k): n for k, n in qs.annotate(n=Count("id")).values_list("k", "n")}

    def by_unit(self, year: int, group: str = "org_unit_id") -> dict:
        if self.use_summary:
            qs = self._stats(year).filter(dimension="total")
            return dict(qs.values(group).annotate(n=Sum("count")).values_list(group, "n"))
        return dict(self._records(year).values(group).annotate(n=Count("id")).values_list(group, "n"))

    def by_year(self, exclude_units=()) -> dict[int, int]:
        if self.use_summary:
            qs = self._stats().filter(dimension="total")
            if exclude_units:
                qs = qs.exclude(org_unit_id__in=exclude_units)
            return dict(qs.values("year").annotate(n=Sum("count")).values_list("year", "n"))
        qs = self._records()
        if exclude_units:
            qs = qs.exclude(org_unit_id__in=exclude_units)
        return dict(qs.annotate(y=ExtractYear("occurred_on")).values("y").annotate(n=Count("id")).values_list("y", "n"))


def _denominators(user, unit: OrgUnit, year: int | None = None) -> list[tuple[int, int, int, str, int]]:
    """[(org_unit_id, parent_id, year, level, denominator)] of the populations under `unit`."""
    qs = Population.objects.visible_to(user).under(unit.path)
    if year is not None:
        qs = qs.filter(year=year)
    out = []
    for uid, parent, y, level, total, workforce in qs.values_list(
        "org_unit_id", "org_unit__parent_id", "year", "org_unit__level", "total", "workforce"
    ):
        denominator = workforce if level in ("enterprise", "park") and workforce else total
        if denominator:
            out.append((uid, parent, y, level, denominator))
    return out


def analysis(user, unit: OrgUnit, year: int, area: CodeItem | None = None) -> Analysis:
    src = _Source(user, unit, area)
    result = Analysis(unit=unit, year=year, area=area, source=src.name)
    labels = code_labels()
    order = code_order()

    pops = _denominators(user, unit, year)
    covered = {p[0] for p in pops}
    result.population = sum(p[4] for p in pops)
    per_unit = src.by_unit(year)
    result.total = sum(per_unit.values())
    uncovered = sorted(uid for uid, n in per_unit.items() if uid not in covered and n)
    if uncovered:
        names = dict(OrgUnit.objects.filter(pk__in=uncovered[:50]).values_list("pk", "name"))
        result.missing = [(names.get(uid, uid), per_unit[uid]) for uid in uncovered[:50]]
        result.missing_count = len(uncovered)
    covered_total = result.total - sum(per_unit[u] for u in uncovered)
    result.rate = stats.rate_per_1000(covered_total, result.population)

    # Denominators by sex and by age band (residents).
    cells = PopulationCount.objects.visible_to(user).under(unit.path).filter(population__year=year)
    by_sex = dict(cells.values("sex").annotate(n=Sum("count")).values_list("sex", "n"))
    by_band = dict(cells.values("age_band").annotate(n=Sum("count")).values_list("age_band", "n"))

    def label_for(dim, key):
        if dim == "age":
            return choices.age_band_label(key)
        if dim == "sex":
            return str(choices.Sex(key).label) if key in choices.Sex.values else key
        if dim == "month":
            return _("Month %(month)s") % {"month": key}
        return labels.get(key, key)

    def sort_key(dim, key):
        if dim == "age":
            return choices.AGE_BAND_CODES.index(key) if key in choices.AGE_BAND_CODES else 99
        if dim == "sex":
            return "MFU".find(key)
        if dim == "month":
            return int(key)
        return order.get(key, 9999)

    for dim, _label in DIMENSIONS:
        counts = src.counts(dim, year)
        rate_counts = src.counts(dim, year, exclude_units=uncovered) if uncovered else counts
        keys = sorted(counts, key=lambda k, d=dim: sort_key(d, k))
        if dim == "month":
            keys = [str(m) for m in range(1, 13)]
        rows = []
        for key in keys:
            n = counts.get(key, 0)
            if dim == "sex":
                denominator = by_sex.get(key)
            elif dim == "age":
                denominator = by_band.get(key)
            elif dim == "month":
                denominator = result.population / 12 if result.population else None
            else:
                denominator = result.population
            rows.append(Row(key, label_for(dim, key), n, stats.rate_per_1000(rate_counts.get(key, 0), denominator),
                            share=100.0 * n / result.total if result.total else None))
        result.breakdowns[dim] = rows

    # The top problems: safety area × mechanism, ranked by count.
    problems = src.counts("problem", year)
    rate_problems = src.counts("problem", year, exclude_units=uncovered) if uncovered else problems
    for key, n in sorted(problems.items(), key=lambda kv: -kv[1])[:10]:
        a, m = key.split(":")
        result.top.append(Row(key, f"{labels.get(a, a)} · {labels.get(m, m)}", n,
                              stats.rate_per_1000(rate_problems.get(key, 0), result.population),
                              share=100.0 * n / result.total if result.total else None))

    # Trend over years.
    all_pops = _denominators(user, unit)
    pop_by_year: dict[int, int] = defaultdict(int)
    covered_by_year: dict[int, set] = defaultdict(set)
    for uid, _p, y, _l, d in all_pops:
        pop_by_year[y] += d
        covered_by_year[y].add(uid)
    counts_by_year = src.by_year()
    years = sorted(set(counts_by_year) | set(pop_by_year))
    result.years = years
    for y in years:
        n = counts_by_year.get(y, 0)
        rate = None
        if pop_by_year.get(y):
            unit_counts = src.by_unit(y) if y != year else per_unit
            n_cov = sum(c for uid, c in unit_counts.items() if uid in covered_by_year[y])
            rate = stats.rate_per_1000(n_cov, pop_by_year[y])
        result.trend.append(Row(str(y), str(y), n, rate, population=pop_by_year.get(y)))

    # Children: districts of the city, units of a district.
    if unit.level in (OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT):
        group = "org_unit__parent_id" if unit.level == OrgUnit.Level.CITY else "org_unit_id"
        child_counts = src.by_unit(year, group)
        child_counts_cov = child_counts
        if uncovered:
            if src.use_summary:
                qs = src._stats(year).filter(dimension="total").exclude(org_unit_id__in=uncovered)
                child_counts_cov = dict(qs.values(group).annotate(n=Sum("count")).values_list(group, "n"))
            else:
                qs = src._records(year).exclude(org_unit_id__in=uncovered)
                child_counts_cov = dict(qs.values(group).annotate(n=Count("id")).values_list(group, "n"))
        child_pop: dict[int, int] = defaultdict(int)
        for uid, parent, _y, _l, d in pops:
            child_pop[parent if unit.level == OrgUnit.Level.CITY else uid] += d
        if unit.level == OrgUnit.Level.CITY:
            children = OrgUnit.objects.filter(parent=unit, level=OrgUnit.Level.DISTRICT)
        else:
            children = OrgUnit.objects.filter(pk__in=set(child_counts) | set(child_pop))
        for child in children.order_by("code"):
            n = child_counts.get(child.pk, 0)
            pop = child_pop.get(child.pk)
            rate = stats.rate_per_1000(child_counts_cov.get(child.pk, 0), pop)
            if not n and not pop:
                continue
            result.children.append(Row(child.code, child.name, n, rate, population=pop))
            if unit.level == OrgUnit.Level.CITY and rate is not None:
                result.map_values[child.code] = round(rate, 2)
    return result


# --- effect of an intervention -----------------------------------------------------------------

@dataclass
class Effect:
    ratio: stats.RateRatio | None
    missing: list  # [(unit name, year)] populations missing
    units: list
    error: str = ""


def effect(user, *, units, before: tuple[date, date], after: tuple[date, date], area=None, mechanism=None) -> Effect:
    """Rate before and after, the rate ratio after/before with 95% CI and a verdict."""
    units = list(units)
    qs = InjuryRecord.objects.visible_to(user).filter(org_unit__in=units)
    if area is not None:
        qs = qs.filter(safety_area=area)
    if mechanism is not None:
        qs = qs.filter(mechanism=mechanism)
    counts = qs.aggregate(
        b=Count("id", filter=Q(occurred_on__range=before)),
        a=Count("id", filter=Q(occurred_on__range=after)),
    )
    years = set(range(before[0].year, before[1].year + 1)) | set(range(after[0].year, after[1].year + 1))
    pops = Population.objects.visible_to(user).filter(org_unit__in=units, year__in=years).select_related("org_unit")
    have = {(p.org_unit_id, p.year): p.denominator for p in pops}
    by_year: dict[int, float] = defaultdict(float)
    missing = []
    for unit in units:
        for y in sorted(years):
            d = have.get((unit.pk, y))
            if not d:
                missing.append((unit.name, y))
            else:
                by_year[y] += d
    if missing:
        return Effect(None, missing, units, _("Population is missing, so no rate can be computed."))
    pt_before, _m1 = stats.person_years(before[0], before[1], by_year)
    pt_after, _m2 = stats.person_years(after[0], after[1], by_year)
    return Effect(stats.rate_ratio(counts["a"], pt_after, counts["b"], pt_before), [], units)


# --- the surveillance network and obligations -----------------------------------------------------

def sources_this_month(user, org_unit: OrgUnit, month: date) -> list[tuple[ReportingSource, int]]:
    """Every active source of the unit with its record count in the month (0: not reported)."""
    sources = ReportingSource.objects.visible_to(user).filter(org_unit=org_unit, is_active=True).select_related("kind")
    counts = dict(
        InjuryRecord.objects.visible_to(user)
        .filter(org_unit=org_unit, occurred_on__year=month.year, occurred_on__month=month.month)
        .values("source_id").annotate(n=Count("id")).values_list("source_id", "n")
    )
    return [(s, counts.get(s.pk, 0)) for s in sources]


def areas_covered(*, org_unit_ids, year: int) -> dict[int, set[int]]:
    """{org_unit_id: {safety_area ids with a record or a nil report in the year}} (unscoped)."""
    covered: dict[int, set[int]] = defaultdict(set)
    for u, a in InjuryRecord.objects.filter(org_unit_id__in=org_unit_ids, occurred_on__year=year).values_list(
        "org_unit_id", "safety_area_id").distinct():
        covered[u].add(a)
    for u, a in NilReport.objects.filter(org_unit_id__in=org_unit_ids, month__year=year).values_list(
        "org_unit_id", "safety_area_id").distinct():
        covered[u].add(a)
    return covered
