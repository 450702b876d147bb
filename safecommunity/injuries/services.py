"""Writes of injury surveillance. Every write checks role and scope, validates with the same
rules as the import (rules.check_case), changes nothing on bad input, and keeps the summary
table (InjuryStat) up to date in the same transaction."""

from collections import Counter, defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core.choices import CREATING_LEVELS

from . import choices, permissions, rules
from .models import InjuryRecord, InjuryStat, NilReport, Population, PopulationCount, ReportingSource

RECORD_WRITE_ROLES = tuple(permissions.WRITE_ROLES)
POPULATION_WRITE_ROLES = tuple(permissions.POPULATION_WRITE_ROLES)


def _raise(errors: list[tuple[str, str]]) -> None:
    if errors:
        merged: dict[str, list[str]] = defaultdict(list)
        for field, message in errors:
            merged[field].append(message)
        raise ValidationError(dict(merged))


# --- injury records ---------------------------------------------------------------------------

def record_validate(record: InjuryRecord, *, id_number: str = "", phone: str = "") -> None:
    """Field validation plus the surveillance rules and the checks that need the database."""
    errors: list[tuple[str, str]] = []
    try:
        record.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.extend((field, m) for m in messages)
    unit = record.org_unit if record.org_unit_id else None
    if unit is not None and unit.level not in CREATING_LEVELS:
        errors.append(("org_unit", _("Injury records belong to a creating unit (street, township, enterprise or park), not to %(unit)s.") % {"unit": unit}))
    if record.source_id and unit is not None and record.source.org_unit_id != unit.pk:
        # names nothing: the source may be another scope's (the API and forms offer only visible ones)
        errors.append(("source", _("This reporting source belongs to another unit.")))
    errors.extend(
        rules.check_case(
            occurred_on=record.occurred_on,
            occurred_time=record.occurred_time,
            age=record.age,
            severity_code=record.severity.code if record.severity_id else "",
            outcome_code=record.outcome.code if record.outcome_id else "",
            outcome_name=record.outcome.name if record.outcome_id else "",
            id_number=id_number,
            phone=phone,
        )
    )
    if unit is not None and record.safety_area_id and record.occurred_on:
        if NilReport.objects.filter(
            org_unit=unit, safety_area_id=record.safety_area_id, month=record.occurred_on.replace(day=1)
        ).exists():
            errors.append(("safety_area", _("A nil report says there were no injuries in %(area)s in %(month)s; withdraw it before recording a case.") % {
                "area": record.safety_area, "month": record.occurred_on.strftime("%Y-%m")}))
    _raise(errors)


@transaction.atomic
def record_save(*, actor, record: InjuryRecord, name: str | None = None, id_number: str | None = None,
                phone: str | None = None) -> InjuryRecord:
    """Create or update a case. Personal fields: None keeps the stored value, "" clears it."""
    require_role(actor, *RECORD_WRITE_ROLES)
    if record.org_unit_id:
        require_scope(actor, record.org_unit)
    old = None
    if record.pk:
        old = InjuryRecord.objects.filter(pk=record.pk).values("org_unit_id", "occurred_on").first()
        if old:
            from safecommunity.orgunits.models import OrgUnit

            require_scope(actor, OrgUnit.objects.get(pk=old["org_unit_id"]))
    id_number = id_number.strip().upper() if id_number is not None else None
    phone = phone.strip() if phone is not None else None
    record_validate(record, id_number=id_number or "", phone=phone or "")
    record.age_band = choices.age_band(record.age)
    record.set_personal(name=name, id_number=id_number, phone=phone)
    if record.pk is None:
        record.created_by = actor
    record.save()
    pairs = {(record.org_unit_id, record.occurred_on.year)}
    if old:
        pairs.add((old["org_unit_id"], old["occurred_on"].year))
    stats_refresh(pairs)
    return record


@transaction.atomic
def record_delete(*, actor, record: InjuryRecord) -> None:
    require_role(actor, *RECORD_WRITE_ROLES)
    require_scope(actor, record.org_unit)
    pair = (record.org_unit_id, record.occurred_on.year)
    record.delete()
    stats_refresh({pair})


# --- reporting sources and nil reports ---------------------------------------------------------

@transaction.atomic
def source_save(*, actor, source: ReportingSource) -> ReportingSource:
    require_role(actor, *RECORD_WRITE_ROLES)
    require_scope(actor, source.org_unit)
    errors = []
    try:
        source.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.extend((f, m) for f, ms in exc.message_dict.items() for m in ms)
    if source.org_unit.level not in CREATING_LEVELS:
        errors.append(("org_unit", _("Reporting sources belong to a creating unit, not to %(unit)s.") % {"unit": source.org_unit}))
    _raise(errors)
    if source.pk is None:
        source.created_by = actor
    source.save()
    return source


@transaction.atomic
def nil_report_create(*, actor, org_unit, safety_area, month: date, note: str = "") -> NilReport:
    require_role(actor, *RECORD_WRITE_ROLES)
    require_scope(actor, org_unit)
    month = month.replace(day=1)
    errors = []
    if org_unit.level not in CREATING_LEVELS:
        errors.append(("org_unit", _("Nil reports are declared by a creating unit, not by %(unit)s.") % {"unit": org_unit}))
    if month > timezone.localdate().replace(day=1):
        errors.append(("month", _("A nil report can only cover a month that has begun.")))
    if NilReport.objects.filter(org_unit=org_unit, safety_area=safety_area, month=month).exists():
        errors.append(("month", _("A nil report for %(area)s in %(month)s already exists.") % {"area": safety_area, "month": month.strftime("%Y-%m")}))
    elif InjuryRecord.objects.filter(
        org_unit=org_unit, safety_area=safety_area, occurred_on__year=month.year, occurred_on__month=month.month
    ).exists():
        errors.append(("safety_area", _("There are injury records in %(area)s in %(month)s: a nil report would contradict them.") % {
            "area": safety_area, "month": month.strftime("%Y-%m")}))
    _raise(errors)
    nil = NilReport(org_unit=org_unit, safety_area=safety_area, month=month, note=note, created_by=actor)
    nil.full_clean(exclude=["created_by"])
    nil.save()
    return nil


@transaction.atomic
def nil_report_delete(*, actor, nil: NilReport) -> None:
    require_role(actor, *RECORD_WRITE_ROLES)
    require_scope(actor, nil.org_unit)
    nil.delete()


# --- population -------------------------------------------------------------------------------

@transaction.atomic
def population_save(*, actor, org_unit, year: int, counts: dict[tuple[str, str], int],
                    workforce: int | None = None) -> Population:
    """Set a unit's population of a year: `counts` {(sex "M"/"F", age band): n}. Replaces the year."""
    require_role(actor, *POPULATION_WRITE_ROLES)
    require_scope(actor, org_unit)
    errors = []
    if org_unit.level not in CREATING_LEVELS:
        errors.append(("org_unit", _("Populations are entered for creating units, not for %(unit)s.") % {"unit": org_unit}))
    if not 2000 <= year <= timezone.localdate().year + 1:
        errors.append(("year", _("The year must lie between 2000 and next year.")))
    for (sex, band), n in counts.items():
        if sex not in ("M", "F") or band not in choices.AGE_BAND_CODES:
            errors.append(("counts", _("Unknown sex or age band: %(sex)s %(band)s.") % {"sex": sex, "band": band}))
        elif n is None or n < 0:
            errors.append(("counts", _("Population counts must be zero or more.")))
    if workforce is not None and workforce < 0:
        errors.append(("workforce", _("The workforce must be zero or more.")))
    if not errors and sum(counts.values()) == 0 and not workforce:
        errors.append(("counts", _("Enter at least one population count.")))
    _raise(errors)
    population, created = Population.objects.get_or_create(
        org_unit=org_unit, year=year, defaults={"created_by": actor}
    )
    population.workforce = workforce
    population.total = sum(counts.values())
    population.save()
    population.counts.all().delete()
    PopulationCount.objects.bulk_create(
        [PopulationCount(population=population, sex=s, age_band=b, count=n) for (s, b), n in counts.items() if n]
    )
    return population


# --- summary table ----------------------------------------------------------------------------

STAT_DIMENSIONS = {
    "area": "safety_area_id",
    "age": "age_band",
    "sex": "sex",
    "mechanism": "mechanism_id",
    "severity": "severity_id",
}


def _year_rows(qs, year: int):
    """Yield InjuryStat rows (unsaved) for the records of `qs` in `year`, grouped by unit.

    The year is a date range and the months are twelve filtered counts: no date function per
    row (on SQLite, EXTRACT is a Python function called once per record)."""
    qs = qs.filter(occurred_on__gte=date(year, 1, 1), occurred_on__lt=date(year + 1, 1, 1))
    bounds = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
    months = {
        f"m{m}": Count("id", filter=Q(occurred_on__gte=bounds[m - 1], occurred_on__lt=bounds[m])) for m in range(1, 13)
    }
    for row in qs.values("org_unit_id").annotate(n=Count("id"), **months).values_list("org_unit_id", "n", *months):
        yield InjuryStat(org_unit_id=row[0], year=year, dimension="total", key="", count=row[1])
        for m, n in enumerate(row[2:], start=1):
            if n:
                yield InjuryStat(org_unit_id=row[0], year=year, dimension="month", key=str(m), count=n)
    for dim, field in STAT_DIMENSIONS.items():
        for u, k, n in qs.values("org_unit_id", field).annotate(n=Count("id")).values_list("org_unit_id", field, "n"):
            yield InjuryStat(org_unit_id=u, year=year, dimension=dim, key=str(k), count=n)
    for u, a, mech, n in qs.values("org_unit_id", "safety_area_id", "mechanism_id").annotate(n=Count("id")).values_list(
        "org_unit_id", "safety_area_id", "mechanism_id", "n"
    ):
        yield InjuryStat(org_unit_id=u, year=year, dimension="problem", key=f"{a}:{mech}", count=n)


def stats_refresh(pairs) -> None:
    """Recompute the summary rows of these (org_unit_id, year) pairs from the records."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in pairs:
        by_year[year].add(unit_id)
    for year, unit_ids in by_year.items():
        InjuryStat.objects.filter(year=year, org_unit_id__in=unit_ids).delete()
        qs = InjuryRecord.objects.filter(org_unit_id__in=unit_ids)
        InjuryStat.objects.bulk_create(list(_year_rows(qs, year)), batch_size=5000)


def stats_rebuild() -> int:
    """Rebuild the whole summary table (after a bulk load that bypassed the services)."""
    with transaction.atomic():
        InjuryStat.objects.all().delete()
        span = InjuryRecord.objects.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
        rows = 0
        if span["first"]:
            for year in range(span["first"].year, span["last"].year + 1):
                batch = list(_year_rows(InjuryRecord.objects.all(), year))
                InjuryStat.objects.bulk_create(batch, batch_size=5000)
                rows += len(batch)
    return rows


# The facts of a record the summary counts, in this order (see stats_add).
STAT_FACTS = ("org_unit_id", "occurred_on", "safety_area_id", "age_band", "sex", "mechanism_id", "severity_id")


def stat_counts(facts, counts: Counter | None = None) -> Counter:
    """{(org_unit_id, year, dimension, key): count} of records given as STAT_FACTS tuples — the
    same rows `_year_rows` computes from the database — added into `counts` if given."""
    columns = list(zip(*facts, strict=True))
    return stat_count_columns(*columns, counts=counts) if columns else (Counter() if counts is None else counts)


def stat_count_columns(unit, day, area, band, sex, mech, severity, counts: Counter | None = None) -> Counter:
    """`stat_counts` of records given column by column (sequences in STAT_FACTS order): Counter
    over zipped columns runs at C speed."""
    counts = Counter() if counts is None else counts
    calendar = {d: (d.year, d.month) for d in set(day)}
    year = [calendar[d][0] for d in day]
    for (u, y), n in Counter(zip(unit, year, strict=True)).items():
        counts[(u, y, "total", "")] += n
    for dim, keys in (("month", [calendar[d][1] for d in day]), ("area", area), ("age", band), ("sex", sex),
                      ("mechanism", mech), ("severity", severity), ("problem", list(zip(area, mech, strict=True)))):
        for (u, y, k), n in Counter(zip(unit, year, keys, strict=True)).items():
            counts[(u, y, dim, f"{k[0]}:{k[1]}" if dim == "problem" else str(k))] += n
    return counts


def stats_add(counts: Counter) -> None:
    """Add newly inserted records (their `stat_counts`) to the summary, in the caller's
    transaction: one INSERT … ON CONFLICT DO UPDATE SET count = count + n per summary row, so
    the cost follows the rows imported, not the records already stored, and two imports into the
    same unit-year add up instead of overwriting each other. The upsert is the same SQL on SQLite
    (3.24+) and PostgreSQL; on another database the touched unit-years are recomputed."""
    if not counts:
        return
    if connection.vendor not in ("sqlite", "postgresql"):  # pragma: no cover - not a supported database
        stats_refresh({(u, y) for u, y, _d, _k in counts})
        return
    qn = connection.ops.quote_name
    table = qn(InjuryStat._meta.db_table)
    cols = ", ".join(qn(c) for c in ("org_unit_id", "year", "dimension", "key", "count"))
    sql = (f"INSERT INTO {table} ({cols}) VALUES (%s, %s, %s, %s, %s) "
           f"ON CONFLICT ({', '.join(qn(c) for c in ('org_unit_id', 'year', 'dimension', 'key'))}) "
           f"DO UPDATE SET {qn('count')} = {table}.{qn('count')} + excluded.{qn('count')}")
    rows = sorted((*k, n) for k, n in counts.items())  # one lock order for concurrent imports
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- imports ----------------------------------------------------------------------------------

IMPORT_EXTENSIONS = (".xlsx", ".csv")


def import_start(*, actor, uploaded, kind: str = "records", keep_duplicates: bool = False):
    """Store the file, refuse a file already imported (same checksum), and run the import as a
    background task (in-process when no worker is configured). Returns the ImportBatch.
    `keep_duplicates`: import rows about the same person, date and cause as another row or a
    stored record too (by default they are skipped; either way they are listed)."""
    from safecommunity.archive.services import attachment_create
    from safecommunity.core.excel import check_workbook

    from .importer import checksum
    from .models import ImportBatch
    from .tasks import run_import

    require_role(actor, *(RECORD_WRITE_ROLES if kind == ImportBatch.Kind.RECORDS else POPULATION_WRITE_ROLES))
    if not actor.org_unit_id:
        raise ValidationError({"file": [_("Your account has no unit to import for.")]})
    name = (uploaded.name or "").lower()
    if not name.endswith(IMPORT_EXTENSIONS):
        raise ValidationError({"file": [_("Upload an .xlsx or .csv file.")]})
    uploaded.seek(0)
    # Refused here, on the form, before anything is stored; records are read by the worker, when
    # one runs the imports, under its larger limits (core.excel.import_limits).
    check_workbook(uploaded, name, worker=kind == ImportBatch.Kind.RECORDS)
    digest = checksum(uploaded)
    earlier = ImportBatch.objects.filter(checksum=digest, kind=kind, status=ImportBatch.Status.DONE).first()
    if earlier is not None:
        raise ValidationError({"file": [_("This file was already imported on %(date)s (%(rows)s rows, batch %(id)s).") % {
            "date": earlier.created_at.strftime("%Y-%m-%d %H:%M"), "rows": earlier.imported_rows, "id": earlier.pk}]})
    running = ImportBatch.objects.filter(
        checksum=digest, kind=kind, status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING]).first()
    if running is not None and stale_batch_end(running, reason=_("The file was uploaded again.")) is None:
        raise ValidationError({"file": [_("This file is being imported right now (batch %(id)s).") % {"id": running.pk}]})
    attachment = attachment_create(uploaded=uploaded, org_unit=actor.org_unit, actor=actor, role="injury_import")
    batch = ImportBatch.objects.create(
        org_unit=actor.org_unit, kind=kind, attachment=attachment, file_name=uploaded.name[:255],
        checksum=digest, created_by=actor,
    )
    transaction.on_commit(lambda: run_import.delay(batch.pk, bool(keep_duplicates)))
    return batch


def stale_batch_end(batch, *, reason: str):
    """Mark a dead batch (importer.is_stale) rejected, nothing imported, with `reason`; return it,
    or None when the batch is not dead (still running, or finished)."""
    from .importer import is_stale
    from .models import ImportBatch

    if not is_stale(batch):
        return None
    errors = [{"row": 1, "column": "", "reason": _("The import stopped before it finished (its worker ended); "
                                                   "nothing was imported. %(reason)s") % {"reason": reason}}]
    ended = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
        status=ImportBatch.Status.FAILED, finished_at=timezone.now(), errors=errors)
    batch.refresh_from_db()
    return batch if ended else None


def _batch_write_check(actor, batch) -> None:
    from .models import ImportBatch

    require_role(actor, *(RECORD_WRITE_ROLES if batch.kind == ImportBatch.Kind.RECORDS else POPULATION_WRITE_ROLES))
    require_scope(actor, batch.org_unit)


@transaction.atomic
def import_cancel(*, actor, batch):
    """Cancel a dead batch: rejected, nothing imported; the same file may be uploaded again."""
    _batch_write_check(actor, batch)
    if stale_batch_end(batch, reason=_("Cancelled by %(user)s.") % {"user": actor}) is None:
        raise ValidationError({"status": _("Only an import that stopped can be cancelled; this one is %(status)s.") % {
            "status": batch.get_status_display()}})
    return batch


@transaction.atomic
def import_retry(*, actor, batch):
    """Run a dead batch again from its stored file (all rows or none, as the first time)."""
    from .importer import is_stale
    from .models import ImportBatch
    from .tasks import run_import

    _batch_write_check(actor, batch)
    if not is_stale(batch) or not batch.attachment.file:
        raise ValidationError({"status": _("Only an import that stopped can be retried; this one is %(status)s.") % {
            "status": batch.get_status_display()}})
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PENDING, updated_at=timezone.now(),
                                                   processed_rows=0, errors=[])
    transaction.on_commit(lambda: run_import.delay(batch.pk))
    batch.refresh_from_db()
    return batch
