"""Writes of the hospital feeds. A file is analysed twice with the same code: at preview
(nothing written but the upload's summary) and at import (inside one transaction: all the ready
rows or nothing). Every write checks role and scope and changes nothing on bad input. Writing
the rows is writing.py's; cases pushed by a hospital system and the push tokens are push.py's.

Workflow of an upload (explicit transitions; `FeedUpload.Status`):

    analysing → mapping | preview   (the job feeds.analyse read the file; a file it cannot read: cancelled)
    mapping  → preview   (columns mapped)
    preview  → imported  (import the ready rows)      preview → cancelled
    imported → undone    (by whoever imported it, while nothing depends on it)
"""

from collections import Counter
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core.scoping import area_path
from safecommunity.core.services import record_delete, record_save
from safecommunity.injuries.models import ImportBatch, InjuryRecord, ReportingSource
from safecommunity.orgunits.models import OrgUnit

from . import card, permissions, staging
from .analysis import Analyser
from .models import ColumnMapping, FeedCase, FeedUpload, ValueMapping
from .writing import Writer, record_from_payload, summarise, undoing

WRITE_ROLES = permissions.write.roles
S = FeedUpload.Status
TRANSITIONS = {
    S.ANALYSING: {S.MAPPING, S.PREVIEW, S.CANCELLED},
    S.MAPPING: {S.PREVIEW, S.CANCELLED},
    S.PREVIEW: {S.IMPORTED, S.CANCELLED, S.MAPPING},
    S.IMPORTED: {S.UNDONE},
    S.CANCELLED: set(),
    S.UNDONE: set(),
}


def _transition(upload: FeedUpload, to: str) -> None:
    if to not in TRANSITIONS[upload.status]:
        raise ValidationError({"status": [_("An upload that is “%(status)s” cannot be changed this way.") % {
            "status": upload.get_status_display()}]})
    upload.status = to


# --- uploads --------------------------------------------------------------------------------

def _data(upload: FeedUpload) -> bytes:
    with upload.attachment.file.open("rb") as fh:
        return fh.read()


def _open(upload: FeedUpload, data: bytes):
    remembered = getattr(ColumnMapping.objects.filter(source=upload.source).first(), "columns", None)
    return card.open_table(data, upload.file_name, remembered)


@transaction.atomic
def upload_create(*, actor, source: ReportingSource, uploaded) -> FeedUpload:
    """Store a hospital file (分析中) and start the job that analyses it (`feeds.analyse`, on a
    worker: never in the request). Only the file's type, its declared size (core.excel's guard)
    and whether it was already imported are checked here."""
    from safecommunity.archive.services import attachment_create, sha256_of
    from safecommunity.core.excel import check_workbook

    require_role(actor, *WRITE_ROLES)
    require_scope(actor, source.org_unit)
    name = uploaded.name or ""
    if not name.lower().endswith(card.EXTENSIONS):
        raise ValidationError({"file": [_("Upload the hospital export as .xlsx, .xls or .csv.")]})
    check_workbook(uploaded, name)  # a sheet past the import limits: refused on the form, nothing stored
    uploaded.seek(0)
    digest = sha256_of(uploaded)
    earlier = FeedUpload.objects.filter(checksum=digest, source=source, status=S.IMPORTED).first()
    if earlier is not None:
        raise ValidationError({"file": [_("This file was already imported for %(source)s on %(date)s (upload %(id)s): nothing to do.") % {
            "source": source, "date": timezone.localtime(earlier.imported_at).strftime("%Y-%m-%d %H:%M"), "id": earlier.pk}]})
    try:
        attachment = attachment_create(uploaded=uploaded, org_unit=actor.org_unit, actor=actor, role="injury_feed")
    except ValidationError as exc:  # size, type or content of the file: the file field's error
        raise ValidationError({"file": exc.messages}) from exc
    upload = FeedUpload.objects.create(
        org_unit=actor.org_unit, source=source, attachment=attachment, file_name=name[:255], checksum=digest,
        created_by=actor, status=S.ANALYSING)
    return _analyse_later(actor, upload)


def upload_analyse(*, actor, upload: FeedUpload) -> FeedUpload:
    """The job feeds.analyse: read the stored file of an upload being analysed (preview). A
    file that cannot be read raises ValidationError; `upload_analysis_end` then cancels it."""
    upload = FeedUpload.objects.select_related("source").get(pk=upload.pk)
    if upload.status != S.ANALYSING:  # cancelled meanwhile, or analysed by an earlier attempt
        return upload
    upload.status = S.MAPPING
    try:
        return preview(actor=actor, upload=upload)
    except card.Unreadable as exc:
        raise ValidationError({"file": [str(exc.args[0])]}) from exc


def upload_analysis_end(*, upload_id: int, reason: str) -> None:
    """An analysis that did not end well (the file unreadable, the job cancelled): the upload is
    cancelled with the reason shown on its page; nothing else was written."""
    upload = FeedUpload.objects.filter(pk=upload_id, status=S.ANALYSING).first()
    if upload is None:
        return
    _transition(upload, S.CANCELLED)
    upload.summary = {"error": reason}
    upload.save(update_fields=["status", "summary", "updated_at"])


def _reading(rows, every: int = 1000):
    """The rows of a file being read, reported to the running job (core.jobs) every `every` rows."""
    from safecommunity.core.jobs import report_progress

    message = _("Rows read")
    n = 0
    for n, row in enumerate(rows, start=1):
        if n % every == 0:
            report_progress(n, None, message)
        yield row
    report_progress(n, None, message)


def preview(*, actor, upload: FeedUpload, data=None) -> FeedUpload:
    """Analyse the file: recognise the columns (or ask for a mapping), count ready rows,
    problems, cases per township and probable duplicates. Writes only the upload's summary."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    data = data if data is not None else _data(upload)
    header_row, headers, found, rows = _open(upload, data)
    if not found:
        raise ValidationError({"file": [_("No column of the injury report card was found in the first rows of %(name)s.") % {
            "name": upload.file_name}]})
    upload.header_row = header_row
    upload.columns = {k: headers[i] for k, i in found.items()}
    if card.missing_required(found):
        upload.status = S.MAPPING
        upload.summary = {"headers": headers, "missing": card.missing_required(found)}
        upload.save()
        return upload
    analyser = Analyser(source=upload.source, area=area_path(actor), columns=found, headers=headers)
    with staging.Writer(upload, analyser.fingerprint) as stage:
        analysis = analyser.run(analyser.parsed(_reading(rows)), stage=stage)
    summarise(upload, analysis)
    upload.summary["headers"] = headers
    upload.status = S.PREVIEW
    upload.save()
    return upload


@transaction.atomic
def columns_map(*, actor, upload: FeedUpload, columns: dict[str, str]) -> FeedUpload:
    """The user's column mapping for a file whose headers differ: remembered for the source."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    if upload.status not in (S.MAPPING, S.PREVIEW):
        _transition(upload, S.PREVIEW)
    headers = upload.summary.get("headers") or []
    columns = {k: v for k, v in {**(upload.columns or {}), **columns}.items() if v}
    errors = {}
    for key, header in columns.items():
        if key not in card.BY_KEY:
            errors.setdefault("columns", []).append(_("Unknown card field %(key)s.") % {"key": key})
        elif header not in headers:
            errors[key] = [_("The file has no column “%(header)s”.") % {"header": header}]
    counts = Counter(columns.values())
    for key, header in columns.items():
        if counts[header] > 1:
            errors.setdefault(key, []).append(_("The column “%(header)s” is chosen for two fields.") % {"header": header})
    missing = card.missing_required({k: 0 for k in columns})
    for key in missing:
        errors.setdefault(key, []).append(_("Choose the column that holds %(field)s.") % {"field": card.BY_KEY[key].label})
    if errors:
        raise ValidationError(errors)
    mapping, _created = ColumnMapping.objects.get_or_create(source=upload.source, defaults={"created_by": actor})
    mapping.columns = columns
    mapping.save()
    return _analyse_later(actor, upload)


def _analyse_later(actor, upload: FeedUpload) -> FeedUpload:
    """分析中, and the job feeds.analyse started (on a worker: the file is never read in a request)."""
    from safecommunity.core.jobs import start_job, subject_of

    upload.status = S.ANALYSING
    upload.save(update_fields=["status", "updated_at"])
    start_job("feeds.analyse", actor=actor, params={"upload": upload.pk}, subject=subject_of(upload),
              title=_("Analyse %(name)s") % {"name": upload.file_name})
    upload.refresh_from_db()  # analysed already where jobs run at once
    return upload


@transaction.atomic
def upload_cancel(*, actor, upload: FeedUpload) -> FeedUpload:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    _transition(upload, S.CANCELLED)
    upload.save(update_fields=["status", "updated_at"])
    staging.discard(upload)
    return upload


@transaction.atomic
def upload_import_start(*, actor, upload: FeedUpload):
    """Start the job that imports a previewed file (`feeds.import`, on a worker); returns the job."""
    from safecommunity.core.jobs import latest_for, start_job, subject_of

    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    if S.IMPORTED not in TRANSITIONS[upload.status]:
        _transition(upload, S.IMPORTED)  # the message of a refused transition
    running = latest_for(subject_of(upload))
    if running is not None and running.is_active and running.kind == "feeds.import":
        raise ValidationError({"status": [_("This file is being imported right now.")]})
    return start_job("feeds.import", actor=actor, params={"upload": upload.pk}, subject=subject_of(upload),
                     title=_("Import %(name)s") % {"name": upload.file_name})


@transaction.atomic
def upload_import(*, actor, upload: FeedUpload) -> FeedUpload:
    """Import the ready rows of a previewed file, all in one transaction (the job feeds.import:
    a worker killed meanwhile leaves nothing of it). Rows with problems
    stay in the problem file; unplaced cases wait to be placed by hand; duplicates are kept as
    provenance only (counted once)."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    upload = FeedUpload.objects.select_for_update().get(pk=upload.pk)
    _transition(upload, S.IMPORTED)
    headers = upload.summary.get("headers") or []
    found = {k: headers.index(h) for k, h in (upload.columns or {}).items() if h in headers}
    if card.missing_required(found):
        raise ValidationError({"columns": [_("The columns of the file are not all mapped.")]})
    batch = ImportBatch.objects.create(
        org_unit=upload.org_unit, kind=ImportBatch.Kind.RECORDS, attachment=upload.attachment,
        file_name=upload.file_name, checksum=upload.checksum, status=ImportBatch.Status.RUNNING, created_by=actor)
    analyser = Analyser(source=upload.source, area=area_path(actor), columns=found, headers=headers)
    staged = staging.read(upload, analyser.fingerprint)
    if staged is None:  # nothing kept from the preview, or the code lists, units or mapping changed
        _hr, headers, found, rows = _open(upload, _data(upload))
        if card.missing_required(found):
            raise ValidationError({"columns": [_("The columns of the file are not all mapped.")]})
        analyser = Analyser(source=upload.source, area=area_path(actor), columns=found, headers=headers)
        staged = analyser.parsed(rows)
    with Writer(actor=actor, upload=upload, batch=batch) as writer:
        analysis = analyser.run(staged, sink=writer)
        upload.rows_imported = writer.finish()
    staging.discard(upload)
    summarise(upload, analysis)
    upload.summary["headers"] = headers
    batch.status = ImportBatch.Status.DONE
    batch.total_rows = batch.processed_rows = analysis.rows_read
    batch.imported_rows = upload.rows_imported
    batch.errors = [{"row": r, "column": c, "reason": m} for r, c, m in analysis.problems[:2000]]
    batch.finished_at = timezone.now()
    batch.save()
    upload.import_batch = batch
    upload.imported_at = timezone.now()
    upload.save()
    return upload


def undo_blockers(upload: FeedUpload) -> list[str]:
    """Why the import cannot be undone (empty: it can)."""
    reasons = []
    later = FeedCase.objects.filter(duplicate_of__feed_case__upload=upload).exclude(upload=upload).count()
    if later:
        reasons.append(_("%(n)s case(s) imported later from other sources are counted as duplicates of its cases.") % {"n": later})
    edited = InjuryRecord.objects.filter(feed_case__upload=upload).filter(
        updated_at__gt=F("created_at") + timedelta(seconds=2))
    if edited.exists():
        reasons.append(_("Some of its records have been edited since the import."))
    return reasons


@transaction.atomic
def upload_undo(*, actor, upload: FeedUpload) -> FeedUpload:
    """Remove everything an import wrote: records, provenance, cases waiting to be placed."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, upload.org_unit)
    upload = FeedUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who imported this file may undo it."))
    _transition(upload, S.UNDONE)
    blockers = undo_blockers(upload)
    if blockers:
        raise ValidationError({"status": blockers})
    records = InjuryRecord.objects.filter(feed_case__upload=upload)
    pairs = set(records.values_list("org_unit_id", "occurred_on__year"))
    FeedCase.objects.filter(upload=upload).delete()
    with undoing():
        InjuryRecord.objects.filter(pk__in=list(records.values_list("pk", flat=True))).delete()
        if upload.import_batch_id:
            batch = upload.import_batch
            upload.import_batch = None
            InjuryRecord.objects.filter(import_batch=batch).delete()
            batch.delete()
    from safecommunity.injuries.services import stats_refresh

    stats_refresh(pairs)
    upload.save()
    return upload


@transaction.atomic
def case_place(*, actor, case: FeedCase, org_unit: OrgUnit) -> FeedCase:
    """Place a case whose address matched no unit: creates its injury record in `org_unit`."""
    from safecommunity.injuries.services import record_save

    require_role(actor, *WRITE_ROLES)
    require_scope(actor, case.org_unit)
    case = FeedCase.objects.select_for_update().get(pk=case.pk)
    if case.status != FeedCase.Status.UNPLACED:
        raise ValidationError({"org_unit": [_("This case has already been placed.")]})
    if org_unit.level != OrgUnit.Level.TOWNSHIP:
        raise ValidationError({"org_unit": [_("Choose a street or township.")]})
    require_scope(actor, org_unit)
    record, p = record_from_payload(case, org_unit, actor)
    record = record_save(actor=actor, record=record, name=p["name"], id_number=p["id_number"], phone=p["phone"])
    case.record = record
    case.org_unit = org_unit
    case.status = FeedCase.Status.IMPORTED
    case.payload = ""
    case.save()
    return case


# --- value mappings (a hospital's own words for the card's codes) -----------------------------

MAPPING_WRITE_ROLES = permissions.mapping_edit.roles


@transaction.atomic
def value_mapping_save(*, mapping: ValueMapping, actor) -> ValueMapping:
    return record_save(obj=mapping, actor=actor, roles=MAPPING_WRITE_ROLES)


@transaction.atomic
def value_mapping_delete(*, mapping: ValueMapping, actor) -> None:
    record_delete(obj=mapping, actor=actor, roles=MAPPING_WRITE_ROLES)

