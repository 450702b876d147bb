"""Writes of the hospital feeds. A file is analysed twice with the same code: at preview
(nothing written but the upload's summary) and at import (inside one transaction: all the ready
rows or nothing). Every write checks role and scope and changes nothing on bad input.

Workflow of an upload (explicit transitions; `FeedUpload.Status`):

    analysing → mapping | preview   (the job feeds.analyse read the file; a file it cannot read: cancelled)
    mapping  → preview   (columns mapped)
    preview  → imported  (import the ready rows)      preview → cancelled
    imported → undone    (by whoever imported it, while nothing depends on it)
"""

import contextvars
import json
from collections import Counter, defaultdict
from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core import bulk, personal
from safecommunity.core.roles import Role
from safecommunity.core.scoping import area_path, is_within
from safecommunity.core.services import record_delete, record_save
from safecommunity.injuries import choices as ic
from safecommunity.injuries.models import ImportBatch, InjuryRecord, ReportingSource
from safecommunity.injuries.services import stat_counts, stats_add
from safecommunity.orgunits.models import OrgUnit

from . import card, staging
from .analysis import MAX_PROBLEMS, Analyser, Analysis, Case
from .models import ColumnMapping, FeedCase, FeedUpload, ValueMapping

WRITE_ROLES = (Role.UNIT, Role.DISTRICT)
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


def _summary(upload: FeedUpload, analysis: Analysis) -> None:
    names = dict(OrgUnit.objects.filter(id__in=analysis.per_unit).values_list("id", "name"))
    upload.rows_read = analysis.rows_read
    upload.rows_problem = len(analysis.problem_rows)
    upload.rows_known = analysis.known
    upload.rows_duplicate = analysis.by_status[FeedCase.Status.DUPLICATE]
    upload.rows_unplaced = analysis.by_status[FeedCase.Status.UNPLACED]
    upload.rows_ready = analysis.ready
    upload.summary = {
        "per_unit": sorted([[names.get(u, "?"), n] for u, n in analysis.per_unit.items()], key=lambda x: (-x[1], x[0])),
        "problems": analysis.problems,
        "problem_rows": sorted(analysis.problem_rows),
        "problems_truncated": len(analysis.problems) >= MAX_PROBLEMS,
        "unplaced": analysis.unplaced,
        "duplicates": analysis.duplicates,
        "elsewhere": [[d, n] for d, n in sorted(analysis.elsewhere.items(), key=lambda x: (-x[1], x[0]))],
    }


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
    _summary(upload, analysis)
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


def _mirror_sources(source: ReportingSource, unit_ids, actor) -> dict[int, int]:
    """A record's source must belong to the record's unit: the hospital is registered (same
    name and kind) in every unit its cases are placed in."""
    result = {source.org_unit_id: source.pk}
    wanted = set(unit_ids) - set(result)
    for sid, uid in ReportingSource.objects.filter(org_unit_id__in=wanted, name=source.name).values_list("id", "org_unit_id"):
        result[uid] = sid
    for uid in wanted - set(result):
        result[uid] = ReportingSource.objects.create(
            org_unit_id=uid, name=source.name, kind_id=source.kind_id, contact=source.contact, created_by=actor).pk
    return result


def _payload(case: Case) -> str:
    return personal.encrypt(json.dumps({
        "occurred_on": case.occurred_on.isoformat(), "occurred_time": case.occurred_time.isoformat() if case.occurred_time else None,
        "age": case.age, "sex": case.sex, "ids": case.ids, "safety_area_id": case.safety_area_id, "name": case.name,
        "id_number": case.id_number, "phone": case.phone}, ensure_ascii=False))


RECORD_FIELDS = ["org_unit_id", "occurred_on", "occurred_time", "age", "age_band", "sex", "safety_area_id", "place_id",
                 "activity_id", "mechanism_id", "intent_id", "nature_id", "body_part_id", "severity_id", "outcome_id",
                 "source_id", "import_batch_id", "place_detail", "name_cipher", "id_number_cipher", "phone_cipher",
                 "created_at", "updated_at", "created_by_id"]
CASE_FIELDS = ["org_unit_id", "upload_id", "source_id", "status", "row", "card_number", "person_key", "occurred_on",
               "mechanism_id", "record_id", "duplicate_of_id", "address", "payload"]


class Writer:
    """Inserts the records and provenance rows of each chunk of cases. For a file (`batch`
    given) the rows go to the database with `core.bulk` (binary COPY on PostgreSQL, multi-row
    INSERTs on SQLite) in a background writer thread, which stores a chunk while the next one is prepared;
    the record ids are reserved first (`bulk.IdBlocks`) and written with the rows, so the
    provenance rows can name their records without reading them back. Use as a context manager
    inside the import's transaction and call `finish()` at the end. An API push (at most 5,000
    cases, no batch) goes through the ORM."""

    def __init__(self, *, actor, upload: FeedUpload, batch: ImportBatch | None):
        self.actor, self.upload, self.batch = actor, upload, batch
        self.actor_id = getattr(actor, "pk", None)
        self.batch_id = batch.pk if batch else None
        self.cipher = personal.BatchCipher()
        self.sources: dict[int, int] = {}
        self.written = 0
        self.counts: Counter = Counter()  # what the records add to the injuries summary table
        self.ids = bulk.IdBlocks(InjuryRecord)
        self.background = bulk.BackgroundWriter(name="feed-import-writer") if batch else None
        self.seen = 0

    def __enter__(self):
        if self.background is not None:
            self.background.__enter__()
            if connection.vendor == "postgresql":  # a binary COPY takes Python values
                self.date, self.time, self.stamp = (lambda d: d), (lambda t: t), timezone.now()
            else:
                ad = bulk.Adapter()
                self.date, self.time, self.stamp = ad.date, ad.time, ad.now
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.background is not None:
            return self.background.__exit__(exc_type, exc, tb)
        return False

    def _values(self, c: Case) -> tuple:
        enc = self.cipher.encrypt
        ids = c.ids
        return (c.unit_id, c.occurred_on, c.occurred_time, c.age, ic.age_band(c.age), c.sex, c.safety_area_id,
                ids["place"], ids["activity"], ids["mechanism"], ids["intent"], ids["nature"],
                ids["body_part"], ids["severity"], ids["outcome"], self.sources[c.unit_id], self.batch_id, "",
                enc(c.name), enc(c.id_number), enc(c.phone))

    def __call__(self, chunk: list[Case]) -> None:
        from safecommunity.core.jobs import report_progress

        upload = self.upload
        self.seen += len(chunk)
        report_progress(self.seen, max(upload.rows_ready, self.seen), _("Cases written"))
        placed = [c for c in chunk if c.status == FeedCase.Status.IMPORTED]
        missing = {c.unit_id for c in placed} - set(self.sources)
        if missing:
            self.sources.update(_mirror_sources(upload.source, missing, self.actor))
        if self.background is not None:
            self._store_file_chunk(chunk, placed)
        else:  # an API push: the ORM
            records = InjuryRecord.objects.bulk_create(
                [InjuryRecord(**dict(zip(RECORD_FIELDS, self._values(c), strict=False))) for c in placed])
            record_of = {id(c): r.pk for c, r in zip(placed, records, strict=True)}
            bulk.insert(FeedCase, CASE_FIELDS, self._case_rows(chunk, record_of, bulk.Adapter().date))
        self.written += len(placed)
        stat_counts(((c.unit_id, c.occurred_on, c.safety_area_id, ic.age_band(c.age), c.sex, c.ids["mechanism"],
                      c.ids["severity"]) for c in placed), self.counts)

    def _store_file_chunk(self, chunk: list[Case], placed: list[Case]) -> None:
        ids = self.ids.take(len(placed))
        records = [self._record_row(pk, c) for pk, c in zip(ids, placed, strict=True)]
        cases = list(self._case_rows(chunk, {id(c): pk for c, pk in zip(placed, ids, strict=True)}, self.date))

        def store(cursor):
            bulk.insert(InjuryRecord, ["id", *RECORD_FIELDS], records, binary=True, cursor=cursor)
            bulk.insert(FeedCase, CASE_FIELDS, cases, binary=True, cursor=cursor)

        self.background.submit(store)

    def _record_row(self, pk, c: Case) -> tuple:
        v = self._values(c)
        stamp = self.stamp
        return (pk, v[0], self.date(v[1]), self.time(v[2]) if v[2] else None, *v[3:], stamp, stamp, self.actor_id)

    def _case_rows(self, chunk: list[Case], record_of: dict, date_value):
        upload = self.upload
        for c in chunk:
            yield (c.unit_id if c.status != FeedCase.Status.UNPLACED and c.unit_id else upload.org_unit_id, upload.pk,
                   upload.source_id, c.status, c.row, c.card_number, c.key, date_value(c.occurred_on),
                   c.ids["mechanism"], record_of.get(id(c)), c.duplicate_of, c.address,
                   _payload(c) if c.status != FeedCase.Status.IMPORTED else "")

    def finish(self) -> int:
        """Every row written (a failure of the writer raised here), then the summary counts."""
        if self.background is not None:
            self.background.close()
        stats_add(self.counts)
        return self.written


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
    _summary(upload, analysis)
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
    token = _UNDOING.set(True)
    try:
        InjuryRecord.objects.filter(pk__in=list(records.values_list("pk", flat=True))).delete()
        if upload.import_batch_id:
            batch = upload.import_batch
            upload.import_batch = None
            InjuryRecord.objects.filter(import_batch=batch).delete()
            batch.delete()
    finally:
        _UNDOING.reset(token)
    from safecommunity.injuries.services import stats_refresh

    stats_refresh(pairs)
    upload.save()
    return upload


def _record_from_payload(case: FeedCase, org_unit: OrgUnit, actor) -> tuple[InjuryRecord, dict]:
    """The (unsaved) injury record of a case kept with its values (unplaced or duplicate)."""
    p = json.loads(personal.decrypt(case.payload))
    ids = p["ids"]
    source_id = _mirror_sources(case.source, {org_unit.pk}, actor)[org_unit.pk]
    record = InjuryRecord(
        org_unit=org_unit, occurred_on=date.fromisoformat(p["occurred_on"]),
        occurred_time=time.fromisoformat(p["occurred_time"]) if p["occurred_time"] else None, age=p["age"],
        age_band=ic.age_band(p["age"]), sex=p["sex"], safety_area_id=p["safety_area_id"], place_id=ids["place"],
        activity_id=ids["activity"], mechanism_id=ids["mechanism"], intent_id=ids["intent"],
        nature_id=ids["nature"], body_part_id=ids["body_part"], severity_id=ids["severity"],
        outcome_id=ids["outcome"], source_id=source_id, import_batch_id=case.upload.import_batch_id)
    return record, p


_UNDOING = contextvars.ContextVar("feeds_undoing", default=False)


def promote_duplicates(record: InjuryRecord) -> None:
    """Before an injury record is deleted: the first probable duplicate that points at it (another
    hospital's report of the same injury) becomes a record in its place, in the same unit, and
    the other duplicates point at that one. Nothing reported is lost. (An undo is refused while
    duplicates point at its records, so it skips this check.)"""
    if _UNDOING.get():
        return
    dups = list(FeedCase.objects.filter(duplicate_of=record).select_related("upload", "source").order_by("pk"))
    if not dups:
        return
    first = dups[0]
    new, p = _record_from_payload(first, record.org_unit, None)
    new.set_personal(name=p["name"], id_number=p["id_number"], phone=p["phone"])
    new.save()
    first.record, first.duplicate_of, first.status, first.payload = new, None, FeedCase.Status.IMPORTED, ""
    first.org_unit_id = record.org_unit_id
    first.save()
    FeedCase.objects.filter(pk__in=[d.pk for d in dups[1:]]).update(duplicate_of=new)


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
    record, p = _record_from_payload(case, org_unit, actor)
    record = record_save(actor=actor, record=record, name=p["name"], id_number=p["id_number"], phone=p["phone"])
    case.record = record
    case.org_unit = org_unit
    case.status = FeedCase.Status.IMPORTED
    case.payload = ""
    case.save()
    return case


# --- API push -------------------------------------------------------------------------------

API_KEYS = {c.key for c in card.COLUMNS}


@transaction.atomic
def push(*, token, cases: list[dict]) -> dict:
    """Cases pushed by a hospital system with its token: all valid or nothing written. Keys are
    the card's field keys (see card.COLUMNS) or its Chinese headers. A case naming another
    source or a unit outside the token's scope is refused."""
    source = token.source
    scope = token.scope_unit
    if not isinstance(cases, list) or not cases:
        raise ValidationError({"cases": [_("Send a non-empty list of cases.")]})
    if len(cases) > 5000:
        raise ValidationError({"cases": [_("Send at most 5000 cases per request.")]})
    keys = [c.key for c in card.COLUMNS]
    columns = {k: i for i, k in enumerate(keys)}
    label_to_key = {card.norm_header(s): c.key for c in card.COLUMNS for s in (c.label, *c.synonyms)}
    rows = []
    for n, item in enumerate(cases, start=1):
        if not isinstance(item, dict):
            raise ValidationError({"cases": [_("Case %(n)s is not an object.") % {"n": n}]})
        if "source" in item and str(item["source"]) not in (str(source.pk), source.name):
            raise PermissionDenied(_("This token may only submit cases of %(source)s.") % {"source": source})
        unit_code = item.get("org_unit")
        if unit_code:
            unit = OrgUnit.objects.filter(code=str(unit_code)).first()
            if unit is None or not is_within(unit, scope):
                raise PermissionDenied(_("This token may not submit cases for unit %(code)s.") % {"code": unit_code})
        cells = [None] * len(keys)
        for k, v in item.items():
            key = k if k in columns else label_to_key.get(card.norm_header(k))
            if key in columns:
                cells[columns[key]] = v
        rows.append((n, cells))
    upload = FeedUpload.objects.create(org_unit=scope, source=source, channel=FeedUpload.Channel.API,
                                       file_name="", status=S.PREVIEW, columns={k: k for k in keys})
    # A case naming a unit is placed there (inside the token's scope, checked above).
    by_code = dict(OrgUnit.objects.under(scope).townships().values_list("code", "id"))

    def adjust(case: Case) -> None:
        code = cases[case.row - 1].get("org_unit")
        if code and str(code) in by_code:
            case.unit_id = by_code[str(code)]
            if case.status == FeedCase.Status.UNPLACED:
                case.status = FeedCase.Status.IMPORTED

    writer = Writer(actor=None, upload=upload, batch=None)  # no background thread: ORM writes
    analyser = Analyser(source=source, area=scope.path, columns=columns,
                        headers=[c.label for c in card.COLUMNS])
    analysis = analyser.run(analyser.parsed(rows), sink=writer, adjust=adjust)
    if analysis.problems:  # the transaction is rolled back: nothing of this push stays
        raise ValidationError({"cases": [_("Case %(row)s, %(column)s: %(reason)s") % {
            "row": r, "column": col, "reason": m} for r, col, m in analysis.problems[:200]]})
    upload.rows_imported = writer.finish()
    _summary(upload, analysis)
    upload.status = S.IMPORTED
    upload.imported_at = timezone.now()
    upload.save()
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])
    return {"upload": upload.pk, "received": len(cases), "imported": upload.rows_imported,
            "duplicates": upload.rows_duplicate, "already_received": upload.rows_known,
            "to_place_by_hand": upload.rows_unplaced, "other_districts": sum(analysis.elsewhere.values())}


def tally(upload_ids) -> dict:
    """Counts by status of the cases of some uploads (for lists)."""
    out: dict[int, Counter] = defaultdict(Counter)
    for uid, status in FeedCase.objects.filter(upload_id__in=upload_ids).values_list("upload_id", "status"):
        out[uid][status] += 1
    return out


# --- push tokens ----------------------------------------------------------------------------

@transaction.atomic
def token_issue(*, actor, source: ReportingSource, name: str):
    """A push token for `source`; it places cases inside the issuer's own scope. Returns
    (token, clear key) — the key is shown once and only its hash is stored."""
    from .models import FeedToken

    require_role(actor, *WRITE_ROLES)
    require_scope(actor, source.org_unit)
    if not (name or "").strip():
        raise ValidationError({"name": [_("Give the token a name.")]})
    token, key = FeedToken.issue(name=name.strip()[:100], source=source, scope_unit=actor.org_unit, created_by=actor)
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, actor, token) -> None:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, token.source.org_unit)
    token.is_active = False
    token.save(update_fields=["is_active", "updated_at"])


# --- value mappings (a hospital's own words for the card's codes) -----------------------------

MAPPING_WRITE_ROLES = frozenset({Role.CITY, Role.DISTRICT, Role.SYSADMIN})


@transaction.atomic
def value_mapping_save(*, mapping: ValueMapping, actor) -> ValueMapping:
    return record_save(obj=mapping, actor=actor, roles=MAPPING_WRITE_ROLES)


@transaction.atomic
def value_mapping_delete(*, mapping: ValueMapping, actor) -> None:
    record_delete(obj=mapping, actor=actor, roles=MAPPING_WRITE_ROLES)

