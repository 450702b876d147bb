"""Long work off the web request — the one way (`core.Job`).

An app declares what it runs in its `jobs.py` (found like `menu.py`, through core.registry):

    @job_kind("feeds.analyse")
    def analyse(run: JobRun) -> None:
        upload = FeedUpload.objects.get(pk=run.params["upload"])
        ...
        run.progress(done, total, _("Rows read"))   # also the heartbeat, and where a cancel stops it
        run.save_file("名单.xlsx", data)             # the result the owner downloads
        run.link(upload.get_absolute_url())          # the page that shows the result

and starts it with `start_job("feeds.analyse", actor=user, params={...}, title=..., subject=...)`:
the job is stored (排队中) and, when the caller's transaction commits, handed to the Celery task
`core.run_job` — a worker when REDIS_URL is set, in-process (eager) otherwise, as the injury
imports run. The worker claims it (运行中), runs the function, and ends it 已完成 / 失败 / 已取消,
notifying the owner. A job whose worker died (killed, restarted, out of memory) shows no sign of
life for JOB_STALE_SECONDS and is shown 已中断 with 重试.

What a job writes must be whole or absent after a `kill -9`: write rows in one transaction (a
`@transaction.atomic` service, or `@job_kind(..., atomic=True)`), and files through
`run.save_file` (the job row names the file only once the job has ended well).

A view answers with a file made on a worker by `BackgroundDownloadMixin` (the view runs again
in the worker, as the same user, and its response becomes the job's file); `ScopedListView`
exports of more than EXPORT_SYNC_MAX_ROWS rows do the same.
"""

import contextvars
import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Job

logger = logging.getLogger(__name__)
S = Job.Status


# --- kinds ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable
    title: str = ""
    atomic: bool = False  # run the whole function in one transaction
    on_end: Callable | None = None  # on_end(job) once it ended (any status), outside its transaction


_KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, title: str = "", atomic: bool = False, on_end: Callable | None = None):
    """Register the decorated function `fn(run: JobRun)` as the job kind `name` ("app.verb")."""
    def register(fn):
        _KINDS[name] = JobKind(name=name, run=fn, title=title, atomic=atomic, on_end=on_end)
        return fn

    return register


def kinds() -> dict[str, JobKind]:
    """Every kind of every app (their `jobs.py` imported once)."""
    from .registry import contributions

    contributions("jobs")
    return _KINDS


class JobCancelled(Exception):
    """Raised inside a job by `run.progress()` once its owner asked to cancel it."""


# --- the running job ------------------------------------------------------------------------

_current: contextvars.ContextVar = contextvars.ContextVar("sc_job", default=None)


def current_run():
    """The JobRun executing in this context, or None (code called both in a request and in a job)."""
    return _current.get()


def report_progress(done: int, total: int | None = None, message: str | None = None) -> None:
    """`current_run().progress(...)` when running as a job; nothing otherwise."""
    run = _current.get()
    if run is not None:
        run.progress(done, total, message)


def _beat_key(job_id: int) -> str:
    return f"core:job:{job_id}:alive"


def _progress_key(job_id: int) -> str:
    return f"core:job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"core:job:{job_id}:cancel"


class JobRun:
    """What a job function receives: its parameters, its owner, and the means to report."""

    def __init__(self, job: Job):
        self.job = job
        self.params = job.params or {}
        self.actor = job.owner
        self.file_name = ""  # stored name in the storage
        self.download_name = ""
        self.url = ""
        self._written = 0.0
        self._state = {"done": 0, "total": job.total, "message": job.message}

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Report progress; also the heartbeat. Raises JobCancelled when the owner cancelled."""
        state = self._state
        state["done"] = int(done)
        if total is not None:
            state["total"] = int(total)
        if message is not None:
            state["message"] = str(message)[:300]
        now = timezone.now()
        # Inside a transaction a row update would stay invisible to the page (and hold the row):
        # the cache carries it; outside, the row too, at most once a second.
        cache.set(_progress_key(self.job.pk), {**state, "attempt": self.job.attempt}, 86400)
        cache.set(_beat_key(self.job.pk), now.timestamp(), 86400)
        if cache.get(_cancel_key(self.job.pk)) == self.job.attempt:
            raise JobCancelled
        if now.timestamp() - self._written >= 1:
            self._written = now.timestamp()
            if not connection.in_atomic_block:
                Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt).update(
                    done=state["done"], total=state["total"], message=state["message"], heartbeat_at=now)
                if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():  # a cache of its own
                    raise JobCancelled

    def save_file(self, name: str, content) -> None:
        """The job's result: `content` (bytes or a file object) offered to the owner as `name`.
        Stored at once under a name of this attempt; the job row names it only when it ends
        well, so a job killed meanwhile offers nothing half-written."""
        if isinstance(content, bytes):
            content = ContentFile(content)
        elif not isinstance(content, File):
            content = File(content)
        field = Job._meta.get_field("result")
        stored = field.generate_filename(self.job, f"{self.job.pk}-{self.job.attempt}-{name}")
        if self.file_name:
            field.storage.delete(self.file_name)
        self.file_name = field.storage.save(stored, content)
        self.download_name = name[:200]

    def link(self, url: str) -> None:
        """The page that shows what the job made (an analysed upload, say)."""
        self.url = url[:500]


class _Heartbeat(threading.Thread):
    """Marks the job alive every JOB_HEARTBEAT_SECONDS while its function runs, even where the
    function reports nothing for a while; it dies with the worker process."""

    def __init__(self, job_id: int):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.stopped = job_id, threading.Event()

    def run(self):
        while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
            cache.set(_beat_key(self.job_id), timezone.now().timestamp(), 86400)


# --- starting, running, ending ----------------------------------------------------------------

def start_job(kind: str, *, actor, params: dict | None = None, title: str = "", subject: str = "") -> Job:
    """Store a job for `actor` and hand it to a worker when the current transaction commits."""
    found = kinds().get(kind)
    if found is None:
        raise ValueError(f"unknown job kind {kind!r}")
    params = dict(params or {})
    params.setdefault("_lang", translation.get_language() or settings.LANGUAGE_CODE)
    job = Job.objects.create(kind=kind, owner=actor, params=params, subject=subject[:100],
                             title=str(title or found.title or kind)[:200])
    _dispatch(job)
    return job


def _dispatch(job: Job) -> None:
    from .tasks import run_job

    pk, attempt = job.pk, job.attempt
    if settings.JOBS_RUN_AT_ONCE:  # tests: where it is started, inside the caller's transaction
        execute(pk, attempt)
        job.refresh_from_db()
        return
    transaction.on_commit(lambda: run_job.delay(pk, attempt))


def execute(job_id: int, attempt: int) -> Job | None:
    """Run one attempt of a job (the Celery task `core.run_job`). A job already taken, cancelled,
    or of another attempt is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, attempt=attempt, status=S.QUEUED).update(
        status=S.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    kind = kinds().get(job.kind)
    run = JobRun(job)
    cache.set(_beat_key(job.pk), now.timestamp(), 86400)
    beat = _Heartbeat(job.pk)
    beat.start()
    token = _current.set(run)
    status, error = S.DONE, ""
    try:
        with translation.override(job.params.get("_lang") or settings.LANGUAGE_CODE):
            if kind is None:
                raise ValidationError(_("This kind of job is no longer known."))
            if kind.atomic or connection.in_atomic_block:  # a savepoint when run at once
                with transaction.atomic():
                    kind.run(run)
            else:
                kind.run(run)
    except JobCancelled:
        status = S.CANCELLED
    except ValidationError as exc:
        status, error = S.FAILED, "；".join(str(m) for m in exc.messages)
    except (PermissionDenied, Http404):
        status, error = S.FAILED, _("You may no longer open what this job works on.")
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        status, error = S.FAILED, _("The job stopped on an internal error; it has been logged. Try again, "
                                    "and if it happens again tell the system administrator.")
    finally:
        beat.stopped.set()
        _current.reset(token)
    job = _end(job, run, status, error)
    if kind is not None and kind.on_end is not None:
        kind.on_end(job)
    return job


def _end(job: Job, run: JobRun, status: str, error: str) -> Job:
    state = run._state
    fields = {"status": status, "error": error, "finished_at": timezone.now(), "heartbeat_at": timezone.now(),
              "done": state["done"], "total": state["total"], "message": state["message"]}
    if status == S.DONE:
        fields.update(result=run.file_name, result_name=run.download_name, result_url=run.url)
        if state["total"]:
            fields["done"] = state["total"]
    elif run.file_name:
        Job._meta.get_field("result").storage.delete(run.file_name)
    # an attempt wrongly shown interrupted (its beats did not reach the page) still ends
    ended = Job.objects.filter(pk=job.pk, attempt=job.attempt, status__in=[S.RUNNING, S.INTERRUPTED]).update(**fields)
    cache.delete_many([_progress_key(job.pk), _cancel_key(job.pk), _beat_key(job.pk)])
    job.refresh_from_db()
    if ended and status in (S.DONE, S.FAILED):
        _notify_end(job)
    return job


def _notify_end(job: Job) -> None:
    from .services import notify

    with translation.override(job.params.get("_lang") or settings.LANGUAGE_CODE):
        if job.status == S.DONE:
            title = _("Finished: %(title)s") % {"title": job.title}
        else:
            title = _("Failed: %(title)s") % {"title": job.title}
        notify(users=[job.owner], title=title[:200], body=job.error[:1000], url=job.get_absolute_url(),
               level="info" if job.status == S.DONE else "warning", key=f"job:{job.pk}:{job.attempt}")


# --- reading: progress and signs of life ---------------------------------------------------

def live_state(job: Job) -> Job:
    """`job` with the progress its worker reported (kept in the cache while it runs inside a
    transaction), and 已中断 when its worker died."""
    if job.status == S.RUNNING:
        state = cache.get(_progress_key(job.pk))
        if state and state.get("attempt") == job.attempt:
            job.done, job.total, job.message = state["done"], state["total"], state["message"]
    if is_stale(job):
        interrupt(job)
    return job


def is_stale(job: Job) -> bool:
    """A queued or running job with no sign of life for JOB_STALE_SECONDS (queued: for
    JOB_QUEUED_STALE_SECONDS — workers may be busy): its worker died or its task was lost."""
    if job.status not in (S.QUEUED, S.RUNNING):
        return False
    last = max(t.timestamp() for t in (job.created_at, job.started_at, job.heartbeat_at) if t)
    last = max(last, cache.get(_beat_key(job.pk)) or 0)
    limit = settings.JOB_STALE_SECONDS if job.status == S.RUNNING else settings.JOB_QUEUED_STALE_SECONDS
    return timezone.now().timestamp() - last > limit


def interrupt(job: Job) -> None:
    """Show a dead job 已中断 (only if nothing changed it meanwhile)."""
    if Job.objects.filter(pk=job.pk, attempt=job.attempt, status=job.status).update(
            status=S.INTERRUPTED, finished_at=timezone.now()):
        job.status = S.INTERRUPTED


def mark_stale(jobs) -> None:
    for job in jobs:
        if is_stale(job):
            interrupt(job)


# --- the owner's actions --------------------------------------------------------------------

def _own(actor, job: Job) -> None:
    if job.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only who started a job may change it."))


@transaction.atomic
def job_retry(*, actor, job: Job) -> Job:
    """Run an interrupted or failed job again, from the start (its earlier attempt left nothing)."""
    _own(actor, job)
    live_state(job)
    if job.status not in (S.INTERRUPTED, S.FAILED):
        raise ValidationError({"status": _("Only an interrupted or failed job can be run again; this one is %(status)s.")
                               % {"status": job.get_status_display()}})
    Job.objects.filter(pk=job.pk, attempt=job.attempt).update(
        status=S.QUEUED, attempt=job.attempt + 1, done=0, message="", error="", cancel_requested=False,
        started_at=None, finished_at=None, heartbeat_at=None, created_at=timezone.now())
    job.refresh_from_db()
    _dispatch(job)
    return job


@transaction.atomic
def job_cancel(*, actor, job: Job) -> Job:
    """Cancel a job: at once when it waits or was interrupted; a running one stops at its next
    progress report, its writes rolled back."""
    _own(actor, job)
    live_state(job)
    if job.status in (S.QUEUED, S.INTERRUPTED):
        Job.objects.filter(pk=job.pk, status=job.status).update(status=S.CANCELLED, finished_at=timezone.now())
    elif job.status == S.RUNNING:
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        cache.set(_cancel_key(job.pk), job.attempt, 86400)
    else:
        raise ValidationError({"status": _("This job has ended (%(status)s): nothing to cancel.") % {
            "status": job.get_status_display()}})
    job.refresh_from_db()
    return job


def subject_of(obj) -> str:
    """The `subject` naming a record a job works on ("feeds.FeedUpload:12")."""
    return f"{obj._meta.label}:{obj.pk}"


def latest_for(subject: str) -> Job | None:
    """The newest job working on `subject` (whoever started it), with its live state."""
    job = Job.objects.filter(subject=subject).order_by("-created_at", "-pk").first()
    return live_state(job) if job is not None else None


def sweep_results(days: int | None = None) -> int:
    """Delete result files (and jobs) older than JOB_RESULT_DAYS; returns the jobs removed."""
    days = settings.JOB_RESULT_DAYS if days is None else days
    old = Job.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=days)).exclude(
        status__in=[S.QUEUED, S.RUNNING])
    storage = Job._meta.get_field("result").storage
    removed = 0
    for job in old.iterator():
        if job.result:
            storage.delete(job.result.name)
        job.delete()
        removed += 1
    return removed


# --- a view's file made on a worker ---------------------------------------------------------

DOWNLOAD = "core.download"


def in_job(request) -> bool:
    """Whether this request is a view run again inside a job (see `download`)."""
    return getattr(request, "sc_job", None) is not None


def start_download(request, title: str = "") -> HttpResponseRedirect:
    """Make the file this GET request answers on a worker; the user lands on the job's page."""
    job = start_job(DOWNLOAD, actor=request.user, params={"path": request.get_full_path(), "host": request.get_host()},
                    title=title)
    return HttpResponseRedirect(job.get_absolute_url())


class BackgroundDownloadMixin:
    """A view whose GET answers a file that takes long to make (a zip of an archive): the GET
    starts a job and shows its page; the view runs again on the worker as the same user, and its
    response becomes the job's file. Put it after the mixins that check the role and fetch the
    record, so that a wrong role is refused before any job exists:
    `class BinderView(RoleRequiredMixin, BackgroundDownloadMixin, View)`."""

    download_title = ""  # the job's name until the file is made (then the file's name)

    def dispatch(self, request, *args, **kwargs):
        if request.method != "GET" or in_job(request):
            return super().dispatch(request, *args, **kwargs)
        self.check_download(request, *args, **kwargs)
        return start_download(request, str(self.download_title or ""))

    def check_download(self, request, *args, **kwargs) -> None:
        """Raise Http404 for a record out of the user's scope, before the job is started (a view
        that fetches its record in `get` does it here too)."""


@job_kind(DOWNLOAD, title=gettext_lazy("File download"))
def download(run: JobRun) -> None:
    """Run the GET of `params["path"]` as the job's owner; its file response is the result."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.base import SessionBase
    from django.test import RequestFactory
    from django.urls import resolve
    from django_htmx.middleware import HtmxDetails

    from .replica import replica_reads

    path = run.params["path"]
    request = RequestFactory().get(path, HTTP_HOST=run.params.get("host") or "localhost")
    request.user = run.actor
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)
    request.sc_job = run
    match = resolve(urlsplit(path).path)
    run.progress(0, None, _("Preparing the file"))
    with replica_reads():
        response = match.func(request, *match.args, **match.kwargs)
    if response.status_code == 404:
        raise Http404
    if response.status_code == 403:
        raise PermissionDenied
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or "attachment" not in disposition:
        raise ValidationError(_("The page answered no file."))
    name = _file_name(disposition) or "download"
    with tempfile.TemporaryFile() as out:
        if response.streaming:
            for chunk in response.streaming_content:
                out.write(chunk)
        else:
            out.write(response.content)
        # not response.close(): it sends request_finished, whose close_old_connections would close
        # the job's database connection in the middle of its transaction
        for close in getattr(response, "_resource_closers", ()):
            close()
        out.seek(0)
        run.save_file(name, out)
    Job.objects.filter(pk=run.job.pk, attempt=run.job.attempt).update(title=name[:200])


def _file_name(disposition: str) -> str:
    from urllib.parse import unquote

    for part in disposition.split(";"):
        part = part.strip()
        if part.lower().startswith("filename*="):
            value = part.split("=", 1)[1]
            return unquote(value.split("''", 1)[-1])
    for part in disposition.split(";"):
        part = part.strip()
        if part.lower().startswith("filename="):
            return part.split("=", 1)[1].strip('"')
    return ""
