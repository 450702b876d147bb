"""Writing the cases of a hospital file or push: the injury records and the provenance rows
(`Writer`), the reporting source mirrored in each unit a case lands in, the upload's summary, and
what becomes of the duplicates of a deleted record (`promote_duplicates`, a pre_delete receiver:
see apps.py). The services (services.py, push.py) check role and scope before calling these."""

import contextlib
import contextvars
import json
from collections import Counter
from datetime import date, time

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core import bulk, personal
from safecommunity.injuries import choices as ic
from safecommunity.injuries.models import ImportBatch, InjuryRecord, ReportingSource
from safecommunity.injuries.services import stat_counts, stats_add
from safecommunity.orgunits.models import OrgUnit

from .analysis import MAX_PROBLEMS, Analysis, Case
from .models import FeedCase, FeedUpload


def summarise(upload: FeedUpload, analysis: Analysis) -> None:
    """Write what an analysis found into the upload's counters and summary (not saved)."""
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


def record_from_payload(case: FeedCase, org_unit: OrgUnit, actor) -> tuple[InjuryRecord, dict]:
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


@contextlib.contextmanager
def undoing():
    """While an import is undone, its records are deleted without promoting duplicates."""
    token = _UNDOING.set(True)
    try:
        yield
    finally:
        _UNDOING.reset(token)


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
    new, p = record_from_payload(first, record.org_unit, None)
    new.set_personal(name=p["name"], id_number=p["id_number"], phone=p["phone"])
    new.save()
    first.record, first.duplicate_of, first.status, first.payload = new, None, FeedCase.Status.IMPORTED, ""
    first.org_unit_id = record.org_unit_id
    first.save()
    FeedCase.objects.filter(pk__in=[d.pk for d in dups[1:]]).update(duplicate_of=new)
