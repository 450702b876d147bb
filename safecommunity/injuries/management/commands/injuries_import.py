"""Run a waiting injury import in this process (what the Celery task does), printing its progress:
for an operator without a worker at hand, and for the test that kills an import half-way."""

from django.core.management.base import CommandError

from safecommunity.core.audit import ActorCommand


class Command(ActorCommand):
    help = ("Run the waiting injury import BATCH_ID in this process (all rows or none), printing "
            "'progress DONE/TOTAL' after every chunk and the outcome at the end.")

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int)
        parser.add_argument("--keep-duplicates", action="store_true",
                            help="import rows about the same person, date and cause as another row too")

    def handle(self, *args, **opts):
        from safecommunity.injuries.importer import run_batch
        from safecommunity.injuries.models import ImportBatch

        if not ImportBatch.objects.filter(pk=opts["batch_id"]).exists():
            raise CommandError(f"No import batch {opts['batch_id']}.")

        def progress(done, total):
            self.stdout.write(f"progress {done}/{total}")
            self.stdout.flush()

        batch = run_batch(opts["batch_id"], keep_duplicates=opts["keep_duplicates"], on_progress=progress)
        self.stdout.write(f"batch {batch.pk} {batch.status}: {batch.imported_rows} rows imported")
