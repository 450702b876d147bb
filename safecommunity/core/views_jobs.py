"""我的任务: the signed-in user's jobs (core.jobs) — the list, a job's page with its progress bar
(refreshed by htmx, read again from the job on every load), its file, cancel and retry."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import jobs
from .models import Job
from .views import Column, Flag, RoleRequiredMixin, ScopedListView, get_visible_or_404

HOME = (gettext_lazy("My jobs"), reverse_lazy("jobs:job_list"))
STATUS_CSS = {Job.Status.QUEUED: "secondary", Job.Status.RUNNING: "info", Job.Status.DONE: "success",
              Job.Status.FAILED: "danger", Job.Status.INTERRUPTED: "warning", Job.Status.CANCELLED: "light"}


class JobFilterSet(django_filters.FilterSet):
    title = django_filters.CharFilter(label=gettext_lazy("Title"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Job.Status.choices)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)

    class Meta:
        model = Job
        fields = []


def _status(job: Job) -> Flag:
    return Flag(job.get_status_display(), STATUS_CSS.get(job.status, "secondary"))


def _progress(job: Job) -> str:
    if job.percent is not None:
        return f"{job.percent}%"
    return f"{job.done}" if job.done else ""


class JobListView(ScopedListView):
    model = Job
    title = gettext_lazy("My jobs")
    breadcrumbs = []
    filterset_class = JobFilterSet
    empty_message = gettext_lazy("No job yet. Large exports, file analyses and archive downloads run here.")

    def get_columns(self):
        return [
            Column(_("Title"), "title", link=True),
            Column(_("Status"), _status),
            Column(_("Progress"), _progress),
            Column(_("Message"), "message"),
            Column(_("Started at"), "created_at"),
            Column(_("Finished at"), "finished_at"),
        ]

    def get(self, request, *args, **kwargs):
        jobs.mark_stale(Job.objects.visible_to(request.user).active())  # a dead worker's job: 已中断
        return super().get(request, *args, **kwargs)


def _job_for(request, pk) -> Job:
    return jobs.live_state(get_visible_or_404(request.user, Job.objects.select_related("owner"), pk=pk))


class JobDetailView(RoleRequiredMixin, View):
    """The job's page; an htmx request gets the progress block only (polled while it runs)."""

    def get(self, request, pk):
        job = _job_for(request, pk)
        context = {"job": job, "poll_url": request.path}
        if request.htmx:
            return render(request, "core/job_progress.html", context)
        return render(request, "core/job_detail.html", {
            **context, "title": job.title, "breadcrumbs": [(str(HOME[0]), str(HOME[1]))]})


class JobFileView(RoleRequiredMixin, View):
    """The job's file, to its owner only (404 to anyone else, and while there is none)."""

    def get(self, request, pk):
        job = get_visible_or_404(request.user, Job, pk=pk)
        if job.status != Job.Status.DONE or not job.result:
            raise Http404
        return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name or "download")


class _JobAction(RoleRequiredMixin, View):
    service = None
    done_message = ""

    def post(self, request, pk):
        job = _job_for(request, pk)
        try:
            getattr(jobs, self.service)(actor=request.user, job=job)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(job.get_absolute_url())


class JobRetryView(_JobAction):
    service = "job_retry"
    done_message = gettext_lazy("The job runs again from the start.")


class JobCancelView(_JobAction):
    service = "job_cancel"
    done_message = gettext_lazy("The job is cancelled; what it had done is rolled back.")
