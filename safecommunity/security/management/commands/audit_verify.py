"""Verify the audit chain: every row's hash from the last checkpoint on; name the first broken row."""

from django.core.management.base import BaseCommand, CommandError

from safecommunity.security.audit import chain_verify
from safecommunity.security.models import AuditChainHead


class Command(BaseCommand):
    help = "Verify the tamper-evident audit chain; exit status 1 and the first broken row if it is broken."

    def handle(self, *args, **opts):
        verdict = chain_verify()
        if not verdict.ok:
            where = f"audit row #{verdict.entry_id}" if verdict.entry_id else "the chain"
            at = f" (link {verdict.seq})" if verdict.seq else ""
            raise CommandError(f"BROKEN at {where}{at}: {verdict.reason}; {verdict.checked} rows before it verified.")
        head = AuditChainHead.objects.filter(pk=1).first()
        self.stdout.write(f"audit chain intact: {verdict.checked} rows verified; "
                          f"head {head.seq if head else 0} {head.hash if head else ''}")
