"""safecommunity restore DIR: check the backup's checksums, restore database and files, verify."""

from django.core.management.base import BaseCommand, CommandError

from safecommunity.security.backup import BackupError, check, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `safecommunity backup` (replaces the database and the uploaded files); "
            "--check only verifies the backup's checksums.")

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument("--check", action="store_true", help="only verify the backup")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, source, **opts):
        try:
            if opts["check"]:
                manifest = check(source)
                self.stdout.write(f"backup intact: {len(manifest['tables'])} tables, {len(manifest['media'])} files")
                return
            if not opts["yes"] and input("This replaces the database and the uploaded files. Type yes: ") != "yes":
                raise CommandError("Not restored.")
            manifest = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"restored from {source} ({manifest['created']}): row counts and file checksums verified")
