"""Count the rows whose application-kept reference names a row that does not exist."""

from django.core.management.base import BaseCommand, CommandError

from safecommunity.core.integrity import dangling_references, unconstrained_references


class Command(BaseCommand):
    help = ("Check the foreign keys kept without a database constraint (injury records, feed cases): "
            "exits with an error when a row names a row that does not exist.")

    def handle(self, *args, **opts):
        checked = unconstrained_references()
        found = dangling_references()
        for column, n in sorted(found.items()):
            self.stdout.write(f"{column}: {n} row(s) name a missing row")
        if found:
            raise CommandError(f"{sum(found.values())} dangling reference(s) in {len(found)} column(s)")
        self.stdout.write(f"{len(checked)} column(s) checked: every reference resolves")
