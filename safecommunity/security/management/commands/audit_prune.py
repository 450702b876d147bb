"""Delete audit entries older than AUDIT_RETENTION_DAYS (never less than 180 days: MLPS 2.0
and the Cybersecurity Law ask for at least six months of logs). The audit chain keeps a signed
checkpoint of the last deleted row (security.audit.prune), so it still verifies."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

MINIMUM_DAYS = 180


class Command(BaseCommand):
    help = "Delete audit trail entries older than the retention period (at least 180 days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, **opts):
        days = opts["days"] or settings.AUDIT_RETENTION_DAYS
        if days < MINIMUM_DAYS:
            raise CommandError(f"Audit entries must be kept at least {MINIMUM_DAYS} days (asked: {days}).")
        cutoff = timezone.now() - timedelta(days=days)
        from safecommunity.security.audit import prune

        deleted, _checkpoint = prune(before=cutoff)
        self.stdout.write(f"deleted {deleted} audit entries older than {cutoff:%Y-%m-%d}")
