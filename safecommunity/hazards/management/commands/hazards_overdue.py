from django.core.management.base import BaseCommand

from safecommunity.hazards.tasks import hazards_overdue


class Command(BaseCommand):
    help = "Mark overdue hazards and notify the responsible party, the district and the department (once)."

    def handle(self, *args, **options):
        result = hazards_overdue.apply().get()
        self.stdout.write(f"overdue hazards: {result['overdue']}, notifications sent: {result['notified']}")
