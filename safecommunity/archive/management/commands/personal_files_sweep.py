"""Delete the content of stored files holding personal data once past the retention period, and
seal any still stored in clear (daily by Celery beat; from cron where no beat process runs)."""

from safecommunity.archive.services import personal_files_sweep
from safecommunity.core.audit import ActorCommand


class Command(ActorCommand):
    help = ("Delete import originals holding personal data older than --days (default: the setting "
            "PERSONAL_FILE_RETENTION_DAYS) and encrypt any still stored in clear.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="retention in days (default: the setting)")
        parser.add_argument("--dry-run", action="store_true", help="list the files, change nothing")

    def handle(self, *args, days, dry_run, **opts):
        done = personal_files_sweep(days=days, dry_run=dry_run)
        for what, names in done.items():
            for name in names:
                self.stdout.write(f"{what}: {name}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{len(done['deleted'])} file(s) {verb} deleted, {len(done['sealed'])} {verb} sealed")
