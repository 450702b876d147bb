"""The daily overdue job. In production Celery beat runs it every morning (the schedule entry
is added here, from this app); by default `safecommunity hazards_overdue` runs the same."""

from celery import shared_task
from celery.schedules import crontab

from safecommunity.celery import app


@shared_task(name="hazards.overdue")
def hazards_overdue():
    from .services import hazards_overdue_notify

    return hazards_overdue_notify()


# 00:10 Asia/Shanghai (CELERY_TIMEZONE), just after the day a deadline falls on has ended.
app.add_periodic_task(crontab(hour=0, minute=10), hazards_overdue.s(), name="hazards-overdue-daily")
