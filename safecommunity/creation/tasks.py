"""Daily jobs of the creation app (Celery; eager without Redis)."""

from celery import shared_task
from celery.schedules import crontab

from safecommunity.celery import app

from .services import title_expiry_reminders

app.conf.beat_schedule.setdefault("creation-title-expiry-reminders", {
    "task": "safecommunity.creation.tasks.creation_title_reminders",
    "schedule": crontab(hour=7, minute=30),
})


@shared_task(name="safecommunity.creation.tasks.creation_title_reminders")
def creation_title_reminders() -> int:
    """Remind the offices and the unit of titles expiring within 180 days or expired."""
    return title_expiry_reminders()
