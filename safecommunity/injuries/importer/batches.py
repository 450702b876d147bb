"""Running an import batch: the file read row by row and handed to the records or population
import, progress and heartbeat in the cache, a stale batch recognised, skipped duplicates imported
on request."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.excel import read_sheet

from ..models import ImportBatch
from .columns import match_headers
from .population import import_population
from .rows import RecordImporter

logger = logging.getLogger(__package__)  # the name the log had before the package


def checksum(data) -> str:
    """SHA-256 of the file's bytes, or of a binary file read in chunks (left at its start)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return hashlib.sha256(data).hexdigest()
    data.seek(0)
    digest = hashlib.file_digest(data, "sha256").hexdigest()
    data.seek(0)
    return digest


def progress_key(batch_id: int) -> str:
    return f"injuries:import:{batch_id}:progress"


def _beat_key(batch_id: int) -> str:
    return f"injuries:import:{batch_id}:alive"


def heartbeat(batch_id: int) -> None:
    """The running import is alive (set at its start and with every chunk's progress)."""
    cache.set(_beat_key(batch_id), timezone.now().timestamp(), 86400)


def is_stale(batch: ImportBatch) -> bool:
    """A waiting or running batch with no sign of life for IMPORT_STALE_MINUTES: its worker died
    (killed, restarted, out of memory) or its task was lost. It can be retried or cancelled."""
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return False
    last = max(batch.updated_at, batch.created_at).timestamp()
    last = max(last, cache.get(_beat_key(batch.pk)) or 0)
    return timezone.now().timestamp() - last > settings.IMPORT_STALE_MINUTES * 60


def run_batch(batch_id: int, keep_duplicates: bool = False, only_rows: set[int] | None = None,
              on_progress=None) -> ImportBatch:
    """Check and import one batch (called by the Celery task, or by `safecommunity injuries_import`).
    The file is read row by row (core.excel.read_sheet; a records file under the worker's limits
    when a worker runs it) and imported in chunks inside one transaction: a worker killed part-way
    leaves no row behind, and the batch, stuck as running, is retried or cancelled once stale.
    `on_progress(rows done, total)`: called after every chunk, besides the progress kept in the
    cache for the batch's page."""
    batch = ImportBatch.objects.select_related("attachment", "created_by").get(pk=batch_id)
    if batch.status != ImportBatch.Status.PENDING:  # cancelled, or already taken by another worker
        return batch
    heartbeat(batch.pk)

    def failed(errors):
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, processed_rows=0, imported_rows=0, errors=errors,
            finished_at=timezone.now())
        batch.refresh_from_db()
        return batch

    with batch.attachment.file.open("rb") as fh:
        try:
            sheet = read_sheet(fh, batch.file_name, worker=batch.kind == ImportBatch.Kind.RECORDS)
        except ValidationError as exc:  # past the limits, or no reader can open it: the user's problem
            return failed([{"row": 1, "column": "", "reason": "；".join(exc.messages)}])
        with sheet:
            try:
                imported, errors, error_total, duplicates = _run(batch, sheet, keep_duplicates, only_rows, on_progress)
            except ValidationError as exc:  # the file turned out broken part-way: nothing was imported
                return failed([{"row": 1, "column": "", "reason": "；".join(exc.messages)}])
    if errors is None:
        return batch
    done = not error_total and (imported or duplicates)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE if done else ImportBatch.Status.FAILED,
        processed_rows=sheet.total, imported_rows=imported, errors=errors, finished_at=timezone.now(),
    )
    batch.refresh_from_db()
    return batch


def _run(batch, sheet, keep_duplicates, only_rows, on_progress) -> tuple[int, list | None, int, int]:
    """(rows imported, errors to keep — None when the batch was already marked failed —, errors in
    all, duplicates in all)."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, total_rows=sheet.total,
                                                   updated_at=timezone.now())
    actor = batch.created_by

    def progress(done):
        # Inside the import transaction a row update would stay invisible: use the cache.
        cache.set(progress_key(batch.pk), done, 3600)
        heartbeat(batch.pk)
        if on_progress is not None:
            on_progress(done, sheet.total)

    if batch.kind == ImportBatch.Kind.POPULATION:
        imported, errors = import_population(batch, actor, sheet.rows, sheet.total)
        return imported, errors, len(errors), 0
    positions, header_problems = match_headers(sheet.header)
    if header_problems:  # the columns are wrong: said once per column, no row read
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, processed_rows=0, imported_rows=0, errors=header_problems,
            finished_at=timezone.now())
        batch.refresh_from_db()
        return 0, None, len(header_problems), 0
    importer = RecordImporter(batch, actor, positions, keep_duplicates=keep_duplicates, only_rows=only_rows)
    try:
        imported = importer.run(sheet.rows, sheet.total, progress=progress)
    except DatabaseError as exc:  # rolled back; e.g. a source deleted while the file was imported
        logger.exception("injury import %s refused by the database", batch.pk)
        return 0, [{"row": 1, "column": "", "reason": _(
            "The database refused the rows, nothing was imported (%(error)s). Try again; if it "
            "happens again, tell the system administrator.") % {"error": str(exc).splitlines()[0][:200]}}], 1, 0
    return imported, importer.errors + importer.duplicates, importer.error_total, importer.duplicate_total


def skipped_duplicates(batch: ImportBatch) -> list[int]:
    """Rows of a done import that were skipped as duplicates (not kept), while no later import
    of the same file took them."""
    if batch.status != ImportBatch.Status.DONE or batch.kind != ImportBatch.Kind.RECORDS:
        return []
    rows = [e["row"] for e in batch.errors if e.get("duplicate") and e.get("skipped")]
    if not rows or ImportBatch.objects.filter(attachment_id=batch.attachment_id, pk__gt=batch.pk).exists():
        return []
    return rows


def import_skipped_duplicates(*, actor, batch: ImportBatch) -> ImportBatch:
    """The user's choice after seeing the list: import the rows a done import skipped as
    duplicates after all — a new batch of the same file holding those rows only (all or nothing,
    the same checks). Refused once done (a later batch of the file exists)."""
    from django.core.exceptions import ValidationError

    from safecommunity.accounts.rules import require_role, require_scope

    from ..services import RECORD_WRITE_ROLES

    require_role(actor, *RECORD_WRITE_ROLES)
    require_scope(actor, batch.org_unit)
    rows = skipped_duplicates(batch)
    if not rows:
        raise ValidationError({"batch": [_("This import has no skipped duplicates left to import.")]})
    again = ImportBatch.objects.create(
        org_unit=actor.org_unit, kind=batch.kind, attachment=batch.attachment, file_name=batch.file_name,
        checksum=batch.checksum, created_by=actor)
    return run_batch(again.pk, keep_duplicates=True, only_rows=set(rows))
