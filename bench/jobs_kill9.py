"""A Celery worker killed with SIGKILL in the middle of a hospital-file import (core.jobs): nothing
of the import is left, the job shows 已中断 once its heartbeat stops, and run again it imports
every ready row once. Run by hand against PostgreSQL and Redis with the demo loaded:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_jobs REDIS_URL=redis://127.0.0.1:6379/3
    safecommunity migrate && safecommunity demo
    JOB_STALE_SECONDS=20 .venv/bin/python bench/jobs_kill9.py [rows]

It starts its own worker (`celery -A safecommunity worker -P solo`), kills it when the import has
written about a third of the cases, checks the tables, starts another worker and retries.
"""

import os
import signal
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")
os.environ.setdefault("JOB_STALE_SECONDS", "20")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402

from safecommunity.accounts.models import User  # noqa: E402
from safecommunity.core import jobs  # noqa: E402
from safecommunity.core.models import Job  # noqa: E402
from safecommunity.feeds import samples, services  # noqa: E402
from safecommunity.feeds.models import FeedCase, FeedUpload  # noqa: E402
from safecommunity.injuries.models import InjuryRecord, ReportingSource  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000


def worker():
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "safecommunity", "worker", "-P", "solo",
                             "-l", "warning", "-n", f"kill9-{time.time_ns()}@%h"], env=dict(os.environ))


def wait(job, until, timeout=900):
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        job.refresh_from_db()
        jobs.live_state(job)
        if until(job):
            return job
        time.sleep(0.5)
    raise SystemExit(f"timeout waiting on job {job.pk}: {job.status} {job.done}/{job.total}")


def main():
    actor = User.objects.get(username="yuzhong_admin")
    source = ReportingSource.objects.filter(org_unit__code="500103003").first()
    rows = samples.clean_rows(ROWS, prefix=f"K9-{time.time_ns()}-", seed=9, addresses=["重庆市渝中区解放碑街道"])
    w = worker()
    try:
        with transaction.atomic():
            upload = services.upload_create(actor=actor, source=source, uploaded=SimpleUploadedFile(
                "kill9.xlsx", samples.xlsx_bytes(rows)))
        analysis = Job.objects.filter(subject=jobs.subject_of(upload)).latest("pk")
        t0 = time.monotonic()
        wait(analysis, lambda j: not j.is_active)
        upload.refresh_from_db()
        print(f"analysed on the worker in {time.monotonic() - t0:.1f} s: {upload.status}, {upload.rows_ready} ready rows")
        before = InjuryRecord.objects.count(), FeedCase.objects.count()
        with transaction.atomic():
            job = services.upload_import_start(actor=actor, upload=upload)
        wait(job, lambda j: j.total and j.done >= j.total // 3)
        print(f"import at {job.done}/{job.total}: kill -9 of the worker (pid {w.pid})")
        os.kill(w.pid, signal.SIGKILL)
        w.wait()
        after = InjuryRecord.objects.count(), FeedCase.objects.count()
        upload.refresh_from_db()
        print(f"records/cases before {before}, after the kill {after}; upload {upload.status}")
        assert after == before and upload.status == FeedUpload.Status.PREVIEW, "something was left half-written"
        t1 = time.monotonic()
        wait(job, lambda j: j.status == Job.Status.INTERRUPTED, timeout=600)
        print(f"shown {job.get_status_display()} after {time.monotonic() - t1:.0f} s without a heartbeat")
        w = worker()
        jobs.job_retry(actor=actor, job=job)
        wait(job, lambda j: not j.is_active)
        upload.refresh_from_db()
        imported = InjuryRecord.objects.count() - before[0]
        print(f"retried: {job.get_status_display()} (attempt {job.attempt}), {imported} records imported, "
              f"upload {upload.status} ({upload.rows_imported})")
        assert job.status == Job.Status.DONE and imported == upload.rows_imported == upload.rows_ready
    finally:
        w.kill()
        w.wait()


if __name__ == "__main__":
    main()
