"""core.jobs: long work on a worker with progress, its file to the owner only, a dead worker's
job shown interrupted and run again, cancel, and large list exports becoming jobs."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from safecommunity.core import jobs
from safecommunity.core.models import Job, Notification

pytestmark = pytest.mark.django_db

SEEN = {}


@jobs.job_kind("tests.count", title="数一数")
def _count(run):
    """Counts to params["n"], reporting each step; at step params["look_at"] it lets the test
    look at the job's page (the worker is in the middle of its work)."""
    n = run.params["n"]
    for i in range(1, n + 1):
        run.progress(i, n, "计数中")
        if i == run.params.get("look_at") and "look" in SEEN:
            SEEN["pages"].append(SEEN["look"]())
    run.save_file("计数.txt", ("\n".join(str(i) for i in range(1, n + 1))).encode())


@jobs.job_kind("tests.write_then_fail", atomic=True)
def _write_then_fail(run):
    Notification.objects.create(user=run.actor, title="half-written", key="half")
    if run.job.attempt == 1:
        raise RuntimeError("the worker dies here")
    run.link("/todo/")


def test_a_job_reports_progress_and_gives_its_file_to_its_owner_only(unit_a, unit_a2, city_admin, sysadmin,
                                                                     client_for):
    owner = client_for(unit_a)
    SEEN.clear()
    SEEN["pages"] = []
    job = Job.objects.create(kind="tests.count", owner=unit_a, title="数一数", params={"n": 10, "look_at": 3})
    # the page while the worker is at 3 of 10 (an htmx poll of the progress block)
    SEEN["look"] = lambda: owner.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    before = owner.get(f"/jobs/{job.pk}/").content.decode()
    assert "排队中" in before and 'hx-trigger="every 2s"' in before
    jobs.execute(job.pk, 1)
    during = SEEN["pages"][0]
    assert "运行中" in during and "3 / 10" in during and "30%" in during
    assert 'hx-trigger="every 2s"' in during  # still polled
    page = owner.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in page and "100%" in page and f"/jobs/{job.pk}/file/" in page
    assert 'hx-trigger' not in page  # finished: no more polling
    response = owner.get(f"/jobs/{job.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().splitlines()[-1] == "10"
    assert "计数.txt" in response["Content-Disposition"] or "%E8%AE%A1%E6%95%B0.txt" in response["Content-Disposition"]
    # another user of the same district: neither the page nor the file, nor in their list
    other = client_for(unit_a2)
    assert other.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert "数一数" not in other.get("/jobs/").content.decode()
    assert "数一数" in owner.get("/jobs/").content.decode()
    # nor does the city office or the system administrator read it, or its history in the audit trail
    from safecommunity.core.scoping import reads_whole

    for reader in (city_admin, sysadmin):
        assert client_for(reader).get(f"/jobs/{job.pk}/").status_code == 404 and not reads_whole(reader, Job)
    # the owner is told it finished
    note = Notification.objects.get(user=unit_a, key=f"job:{job.pk}:1")
    assert "数一数" in note.title and note.url == f"/jobs/{job.pk}/"


def test_a_job_is_not_run_in_the_request_that_starts_it(unit_a, settings, django_capture_on_commit_callbacks):
    settings.JOBS_RUN_AT_ONCE = False
    with django_capture_on_commit_callbacks() as callbacks:
        job = jobs.start_job("tests.count", actor=unit_a, params={"n": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and len(callbacks) == 1  # handed to core.run_job on commit
    callbacks[0]()  # the worker (eager here)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result


def test_a_dead_workers_job_shows_interrupted_and_can_be_retried(unit_a, client_for, settings):
    owner = client_for(unit_a)
    job = Job.objects.create(kind="tests.write_then_fail", owner=unit_a, title="写入")
    # the first attempt dies in the middle of its transaction: what it wrote is gone
    jobs.execute(job.pk, 1)
    assert not Notification.objects.filter(key="half").exists()
    # a worker that died without a word: running, no sign of life for longer than JOB_STALE_SECONDS
    old = timezone.now() - timezone.timedelta(seconds=settings.JOB_STALE_SECONDS + 60)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, error="", created_at=old, started_at=old,
                                         heartbeat_at=old)
    page = owner.get(f"/jobs/{job.pk}/").content.decode()
    assert "已中断" in page and f"/jobs/{job.pk}/retry/" in page
    assert "已中断" in owner.get("/jobs/").content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.INTERRUPTED
    response = owner.post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempt == 2 and job.result_url == "/todo/"
    assert Notification.objects.filter(key="half").count() == 1  # written once, by the attempt that ended well
    assert "已完成" in owner.get(f"/jobs/{job.pk}/").content.decode()


def test_only_the_owner_may_retry_or_cancel(unit_a, unit_a2, client_for):
    job = Job.objects.create(kind="tests.count", owner=unit_a, title="数一数", params={"n": 2},
                             status=Job.Status.INTERRUPTED)
    assert client_for(unit_a2).post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert client_for(unit_a2).post(f"/jobs/{job.pk}/cancel/").status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.INTERRUPTED
    client_for(unit_a).post(f"/jobs/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_a_running_job_stops_at_its_next_report_once_cancelled(unit_a):
    job = Job.objects.create(kind="tests.count", owner=unit_a, title="数一数", params={"n": 5, "look_at": 2})
    SEEN.clear()
    SEEN["pages"] = []
    SEEN["look"] = lambda: jobs.job_cancel(actor=unit_a, job=Job.objects.get(pk=job.pk))
    jobs.execute(job.pk, 1)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and not job.result


def test_a_large_export_becomes_a_job_and_a_small_one_answers_at_once(city_admin, client_for, settings):
    from safecommunity.core.models import CodeList

    client = client_for(city_admin)
    lists = CodeList.objects.count()
    assert lists > 3
    settings.EXPORT_SYNC_MAX_ROWS = lists  # not more than the limit: the file at once
    response = client.get("/core/codelists/?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    settings.EXPORT_SYNC_MAX_ROWS = 3
    response = client.get("/core/codelists/?export=xlsx")
    assert response.status_code == 302
    job = Job.objects.get(owner=city_admin)
    assert response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and f"/jobs/{job.pk}/file/" in page
    assert Job.objects.get(pk=job.pk).total == lists
    data = b"".join(client.get(f"/jobs/{job.pk}/file/").streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == lists + 1  # the header and every row, not one page
    assert Job.objects.get(pk=job.pk).title.endswith(".xlsx")


def test_my_jobs_has_a_search_form_and_a_pager(unit_a, client_for):
    for i in range(25):
        Job.objects.create(kind="tests.count", owner=unit_a, title=f"任务{i:02d}", status=Job.Status.DONE)
    client = client_for(unit_a)
    first = client.get("/jobs/").content.decode()
    assert 'name="title"' in first and "page=2" in first
    found = client.get("/jobs/?title=任务07").content.decode()
    assert "任务07" in found and "任务08" not in found


def test_results_past_their_days_are_swept(unit_a):
    job = Job.objects.create(kind="tests.count", owner=unit_a, title="旧", params={"n": 1})
    jobs.execute(job.pk, 1)
    name = Job.objects.get(pk=job.pk).result.name
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(days=30))
    assert jobs.sweep_results(days=7) == 1
    storage = Job._meta.get_field("result").storage
    assert not storage.exists(name) and not Job.objects.filter(pk=job.pk).exists()
