"""An import killed half-way (`kill -9` of the process running it) leaves no imported row and no
figure behind, and the batch, once seen as stopped, is run again in full. PostgreSQL only: the
import runs in a second process, which must see the test's data and files (a real database
server and a folder on disk)."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from safecommunity.injuries import importer, services, tasks
from safecommunity.injuries.models import ImportBatch, InjuryRecord, InjuryStat
from safecommunity.injuries.tests.test_import import row

ROWS, CHUNK = 20_000, 1000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the killed import runs in a second process: "
                       "it needs a database server both processes reach (run with DATABASE_URL=postgres://…)"),
]


def _workbook(path) -> bytes:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [str(c[1]) for c in importer.RECORD_COLUMNS])
    for i in range(ROWS):
        sheet.write_row(i + 1, 0, row(age=i % 90))
    book.close()
    return path.read_bytes()


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_killed_import_leaves_nothing_and_runs_again(unit_a, sources, tmp_path, settings, monkeypatch):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    monkeypatch.setattr(tasks.run_import, "delay", lambda *a, **k: None)  # the second process runs it
    batch = services.import_start(actor=unit_a, uploaded=SimpleUploadedFile("records.xlsx", _workbook(tmp_path / "r.xlsx")))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safecommunity.settings.base", "DATABASE_URL": _database_url(),
           "MEDIA_ROOT": str(tmp_path / "media"), "REDIS_URL": "", "IMPORT_CHUNK_ROWS": str(CHUNK),
           "IMPORT_IN_MEMORY_MAX_ROWS": "1000"}  # streamed, as a large file on a worker
    proc = subprocess.Popen([sys.executable, "-m", "safecommunity.cli", "injuries_import", str(batch.pk)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        for line in proc.stdout:
            if line.startswith("progress "):
                seen.append(int(line.split()[1].split("/")[0]))
                if seen[-1] >= 3 * CHUNK:  # three chunks checked and written inside the transaction
                    os.kill(proc.pid, signal.SIGKILL)
                    break
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()[-2000:]
    assert seen and seen[-1] < ROWS
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING and batch.total_rows == ROWS
    assert not InjuryRecord.objects.exists() and not InjuryStat.objects.exists()

    # Seen as stopped once no sign of life came for IMPORT_STALE_MINUTES: run again, in full.
    monkeypatch.undo()
    past = timezone.now() - timedelta(minutes=settings.IMPORT_STALE_MINUTES + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=past, updated_at=past)
    from django.core.cache import cache

    cache.delete(importer._beat_key(batch.pk))
    batch.refresh_from_db()
    services.import_retry(actor=unit_a, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE, batch.errors[:3]
    assert batch.imported_rows == ROWS and InjuryRecord.objects.filter(import_batch=batch).count() == ROWS
