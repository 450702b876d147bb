"""Remove stored files no attachment refers to (left behind by refused uploads)."""

from datetime import timedelta

from safecommunity.archive.services import orphan_files_sweep
from safecommunity.core.audit import ActorCommand


class Command(ActorCommand):
    help = "Delete files under attachments/ that no Attachment refers to and that are older than --hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24.0, help="leave younger files alone (default 24)")
        parser.add_argument("--dry-run", action="store_true", help="list the files, delete nothing")

    def handle(self, *args, hours, dry_run, **opts):
        removed = orphan_files_sweep(older_than=timedelta(hours=hours), dry_run=dry_run)
        for name in removed:
            self.stdout.write(name)
        self.stdout.write(f"{'would remove' if dry_run else 'removed'}: {len(removed)} file(s)")
