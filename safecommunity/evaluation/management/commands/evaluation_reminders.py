"""Re-evaluation reminders before a Chongqing Safe Community title expires (run daily)."""

from safecommunity.core.audit import ActorCommand
from safecommunity.evaluation.services import reminders_send


class Command(ActorCommand):
    help = "Notify units, districts and the city office of titles expiring within the reminder period."

    def handle(self, *args, **opts):
        sent = reminders_send()
        self.stdout.write(f"re-evaluation reminders sent: {sent}")
