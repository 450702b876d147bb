"""Weekly clean-up of stored files no attachment refers to (Celery beat in production; without a
beat process `safecommunity archive_sweep` from cron does the same)."""

from celery import shared_task
from celery.schedules import crontab

from safecommunity.celery import app


@shared_task(name="archive.sweep")
def archive_sweep() -> int:
    from .services import orphan_files_sweep

    return len(orphan_files_sweep())


# Sunday 03:20 Asia/Shanghai (CELERY_TIMEZONE), when nobody uploads.
app.add_periodic_task(crontab(day_of_week=0, hour=3, minute=20), archive_sweep.s(), name="archive-sweep-weekly")
