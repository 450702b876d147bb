"""Daily run: prepare drafts on the 1st, remind units before the deadline, tell districts after it."""

from datetime import date

from django.core.management.base import CommandError

from safecommunity.core.audit import ActorCommand


class Command(ActorCommand):
    help = "Send the monthly-report reminders of the day (idempotent: each notice is sent once)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **opts):
        from safecommunity.reports.services import reminders_send

        today = None
        if opts.get("date"):
            try:
                today = date.fromisoformat(opts["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD")
        counts = reminders_send(today=today)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
