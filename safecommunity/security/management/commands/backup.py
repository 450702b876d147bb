"""safecommunity backup DIR: database dump + uploaded files + a SHA-256 manifest (security.backup)."""

from django.core.management.base import BaseCommand, CommandError

from safecommunity.security.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into a new folder, with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument("target", help="a new (or empty) folder")

    def handle(self, *args, target, **opts):
        try:
            manifest = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"backup written to {target}: {len(manifest['tables'])} tables, "
                          f"{sum(manifest['tables'].values())} rows, {len(manifest['media'])} files")
