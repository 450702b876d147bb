"""Background work: imports run as Celery tasks (eager in-process without Redis)."""

from celery import shared_task


@shared_task
def run_import(batch_id: int, keep_duplicates: bool = False) -> int:
    from .importer import run_batch

    return run_batch(batch_id, keep_duplicates=keep_duplicates).imported_rows
