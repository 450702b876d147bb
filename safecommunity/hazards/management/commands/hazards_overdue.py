from safecommunity.core.audit import ActorCommand
from safecommunity.hazards.tasks import hazards_overdue


class Command(ActorCommand):
    help = "Mark overdue hazards and notify the responsible party, the district and the department (once)."

    def handle(self, *args, **options):
        result = hazards_overdue.apply().get()
        self.stdout.write(f"overdue hazards: {result['overdue']}, notifications sent: {result['notified']}")
