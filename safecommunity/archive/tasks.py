"""Weekly clean-up of stored files no attachment refers to, daily deletion of personal-data files
past their retention period (Celery beat in production; without a beat process
`safecommunity archive_sweep` and `safecommunity personal_files_sweep` from cron do the same)."""

from celery import shared_task
from celery.schedules import crontab

from safecommunity.celery import app


@shared_task(name="archive.sweep")
def archive_sweep() -> int:
    from .services import orphan_files_sweep

    return len(orphan_files_sweep())


# Sunday 03:20 Asia/Shanghai (CELERY_TIMEZONE), when nobody uploads.
app.add_periodic_task(crontab(day_of_week=0, hour=3, minute=20), archive_sweep.s(), name="archive-sweep-weekly")


@shared_task(name="archive.personal_files_sweep")
def personal_files_sweep() -> int:
    from .services import personal_files_sweep as sweep

    return len(sweep()["deleted"])


# Every day at 03:40 Asia/Shanghai.
app.add_periodic_task(crontab(hour=3, minute=40), personal_files_sweep.s(), name="archive-personal-files-daily")
