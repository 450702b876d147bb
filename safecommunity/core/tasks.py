"""Weekly check of the references kept by the application (see core.integrity)."""

from celery import shared_task
from celery.schedules import crontab

from safecommunity.celery import app


@shared_task(name="core.check_references")
def check_references() -> int:
    from .integrity import check_and_log

    return sum(check_and_log().values())


# Sunday 03:40 Asia/Shanghai (CELERY_TIMEZONE), after the file sweep.
app.add_periodic_task(crontab(day_of_week=0, hour=3, minute=40), check_references.s(),
                      name="check-references-weekly")


@shared_task(name="core.deliver_notifications")
def deliver_notifications() -> int:
    """Notices by e-mail/SMS/WeChat that are due (those held back by quiet hours)."""
    from .notifications import deliver_due

    return deliver_due()


app.add_periodic_task(crontab(minute="*/5"), deliver_notifications.s(), name="deliver-notifications")


@shared_task(name="core.run_job")
def run_job(job_id: int, attempt: int) -> str:
    """One attempt of a core.Job (see core.jobs)."""
    from .jobs import execute

    job = execute(job_id, attempt)
    return job.status if job is not None else "skipped"


@shared_task(name="core.sweep_job_results")
def sweep_job_results() -> int:
    """Jobs and their files older than JOB_RESULT_DAYS."""
    from .jobs import sweep_results

    return sweep_results()


app.add_periodic_task(crontab(hour=3, minute=50), sweep_job_results.s(), name="sweep-job-results-daily")
