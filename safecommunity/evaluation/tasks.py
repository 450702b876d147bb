"""Daily job of the evaluation app. In production Celery beat runs it every morning (the schedule
entry is added here, from this app); without a beat process `safecommunity evaluation_reminders`
(a cron line) runs the same. Each reminder is sent once (notification keys), so running it
daily is safe."""

from celery import shared_task
from celery.schedules import crontab

from safecommunity.celery import app


@shared_task(name="evaluation.reminders")
def evaluation_reminders() -> int:
    from .services import reminders_send

    return reminders_send()


# 07:40 Asia/Shanghai (CELERY_TIMEZONE), before the working day starts.
app.add_periodic_task(crontab(hour=7, minute=40), evaluation_reminders.s(), name="evaluation-reminders-daily")
