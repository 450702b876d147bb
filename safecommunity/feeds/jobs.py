"""Long work of the hospital feeds, run on a worker (core.jobs): reading an uploaded file
(preview) and importing it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.core.jobs import JobRun, job_kind
from safecommunity.core.models import Job

from . import services
from .models import FeedUpload


def _analysis_ended(job: Job) -> None:
    if job.status != Job.Status.DONE:
        services.upload_analysis_end(upload_id=job.params["upload"],
                                     reason=job.error or _("The analysis was cancelled."))


@job_kind("feeds.analyse", title=gettext_lazy("Analyse a hospital file"), on_end=_analysis_ended)
def analyse(run: JobRun) -> None:
    upload = FeedUpload.objects.get(pk=run.params["upload"])
    services.upload_analyse(actor=run.actor, upload=upload)
    run.link(upload.get_absolute_url())


@job_kind("feeds.import", title=gettext_lazy("Import a hospital file"))
def import_(run: JobRun) -> None:
    upload = FeedUpload.objects.get(pk=run.params["upload"])
    services.upload_import(actor=run.actor, upload=upload)  # one transaction: all the ready rows or none
    run.link(upload.get_absolute_url())
