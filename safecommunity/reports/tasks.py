"""The daily reminder run as a Celery task (scheduled by beat at 08:00, Asia/Shanghai)."""

from celery import shared_task
from celery.schedules import crontab

from safecommunity.celery import app


@shared_task(name="reports.send_reminders")
def send_reminders() -> dict:
    from .services import reminders_send

    return reminders_send()


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "reports-daily-reminders": {"task": "reports.send_reminders", "schedule": crontab(hour=8, minute=0)},
}
