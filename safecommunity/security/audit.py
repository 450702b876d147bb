"""Tamper-evident audit trail over django-auditlog's LogEntry.

Each new LogEntry is sealed (post_save) as the next link of a hash chain: its canonical row (who,
when, what, object, before → after, IP, extra data) is hashed with the previous link's hash.
`chain_verify()` recomputes every link and names the first row that does not match: a row
changed by SQL, a row deleted (a gap in the sequence), a row inserted outside the product (a
LogEntry without a seal). Pruning (audit_prune) keeps an HMAC-signed checkpoint of the last link
it removed, so the remaining chain still verifies.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import AuditChainHead, AuditCheckpoint, AuditSeal

GENESIS = "0" * 64
FIELDS = ("id", "timestamp", "actor_id", "action", "content_type_id", "object_pk", "object_repr", "changes",
          "changes_text", "remote_addr", "additional_data", "cid")


def _sm3(data: bytes) -> str:
    try:
        from gmssl import func, sm3
    except ImportError as exc:  # pragma: no cover - depends on the deployment
        raise ImproperlyConfigured("AUDIT_HASH_ALGORITHM=sm3 needs the gmssl package (pip install .[gm]).") from exc
    return sm3.sm3_hash(func.bytes_to_list(data))


HASHERS = {"sha256": lambda data: hashlib.sha256(data).hexdigest(), "sm3": _sm3}


def canonical(row: dict) -> bytes:
    """The row as stable bytes: fixed field order, UTC ISO time, JSON with sorted keys."""
    values = dict(row)
    ts = values["timestamp"]
    values["timestamp"] = ts.astimezone(UTC).isoformat(timespec="microseconds")
    values["object_pk"] = str(values["object_pk"])
    return json.dumps([values[name] for name in FIELDS], sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=str).encode()


def link_hash(algorithm: str, prev_hash: str, row: dict) -> str:
    if algorithm not in HASHERS:
        raise ImproperlyConfigured(f"Unknown AUDIT_HASH_ALGORITHM {algorithm!r} (sha256 or sm3).")
    return HASHERS[algorithm](prev_hash.encode() + b"|" + canonical(row))


def _row(entry_id: int) -> dict:
    return LogEntry.objects.filter(pk=entry_id).values(*FIELDS).get()


def _head_locked() -> AuditChainHead:
    """The chain head, locked for this transaction (written first, then read)."""
    if not AuditChainHead.objects.filter(pk=1).update(seq=F("seq")):
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
        AuditChainHead.objects.filter(pk=1).update(seq=F("seq"))
    return AuditChainHead.objects.select_for_update().get(pk=1)


@transaction.atomic
def seal(entry_id: int) -> AuditSeal:
    """Append the LogEntry `entry_id` to the chain (as stored in the database)."""
    head = _head_locked()
    algorithm = settings.AUDIT_HASH_ALGORITHM
    digest = link_hash(algorithm, head.hash, _row(entry_id))
    link = AuditSeal.objects.create(entry_id=entry_id, seq=head.seq + 1, algorithm=algorithm,
                                    prev_hash=head.hash, hash=digest)
    AuditChainHead.objects.filter(pk=1).update(seq=link.seq, hash=digest)
    return link


def checkpoint_key() -> bytes:
    key = settings.AUDIT_CHECKPOINT_KEY or ("audit-checkpoint|" + settings.SECRET_KEY)
    return key.encode()


def checkpoint_signature(seq: int, digest: str, pruned_before) -> str:
    message = f"{seq}|{digest}|{pruned_before.astimezone(UTC).isoformat()}".encode()
    return hmac.new(checkpoint_key(), message, hashlib.sha256).hexdigest()


@dataclass
class Verdict:
    ok: bool
    checked: int
    entry_id: int | None = None  # the first broken row (a LogEntry id), if any
    seq: int | None = None
    reason: str = ""


def chain_verify(batch: int = 2000) -> Verdict:
    """Recompute the chain from the last checkpoint (or the start); the first broken row, if any."""
    checkpoint = AuditCheckpoint.objects.order_by("-seq").first()
    prev, expected = GENESIS, 1
    if checkpoint is not None:
        if not hmac.compare_digest(checkpoint.signature, checkpoint_signature(
                checkpoint.seq, checkpoint.hash, checkpoint.pruned_before)):
            return Verdict(False, 0, None, checkpoint.seq, _("checkpoint signature does not match"))
        prev, expected = checkpoint.hash, checkpoint.seq + 1
    checked = 0
    links = AuditSeal.objects.filter(seq__gte=expected).order_by("seq").values_list(
        "seq", "entry_id", "algorithm", "prev_hash", "hash")
    last_seq = expected - 1
    while True:
        chunk = list(links.filter(seq__gt=last_seq)[:batch])
        if not chunk:
            break
        rows = {r["id"]: r for r in LogEntry.objects.filter(pk__in=[c[1] for c in chunk]).values(*FIELDS)}
        for seq, entry_id, algorithm, prev_hash, digest in chunk:
            if seq != expected:
                return Verdict(False, checked, entry_id, seq,
                               _("rows %(first)s–%(last)s of the chain are missing (deleted)") % {"first": expected, "last": seq - 1})
            if prev_hash != prev:
                return Verdict(False, checked, entry_id, seq, _("link does not follow the previous row"))
            row = rows.get(entry_id)
            if row is None:
                return Verdict(False, checked, entry_id, seq, _("audit row deleted"))
            if not hmac.compare_digest(link_hash(algorithm, prev, row), digest):
                return Verdict(False, checked, entry_id, seq, _("audit row changed after it was written"))
            prev, expected, checked = digest, expected + 1, checked + 1
        last_seq = chunk[-1][0]
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected - 1 or head.hash != prev) and head.seq != 0:
        return Verdict(False, checked, None, head.seq, _("the last rows of the chain (%(first)s–%(last)s) are missing") % {"first": expected, "last": head.seq})
    stray = LogEntry.objects.filter(seal__isnull=True).order_by("pk").values_list("pk", flat=True).first()
    if stray is not None:
        return Verdict(False, checked, stray, None, _("audit row not in the chain (written outside the product)"))
    return Verdict(True, checked)


@transaction.atomic
def prune(*, before) -> tuple[int, AuditCheckpoint | None]:
    """Delete audit rows older than `before` up to the first newer link, keeping a signed
    checkpoint of the last deleted link. Returns (rows deleted, checkpoint)."""
    _head_locked()
    first_kept = AuditSeal.objects.filter(entry__timestamp__gte=before).order_by("seq").values_list(
        "seq", flat=True).first()
    old = AuditSeal.objects.all() if first_kept is None else AuditSeal.objects.filter(seq__lt=first_kept)
    last = old.order_by("-seq").first()
    checkpoint = None
    if last is not None:
        checkpoint = AuditCheckpoint(seq=last.seq, hash=last.hash, pruned_before=before)
        entry_ids = list(old.values_list("entry_id", flat=True))
        checkpoint.rows_pruned = len(entry_ids)
        checkpoint.signature = checkpoint_signature(last.seq, last.hash, before)
        checkpoint.save()
        old.delete()
        for start in range(0, len(entry_ids), 1000):
            LogEntry.objects.filter(pk__in=entry_ids[start:start + 1000]).delete()
    # rows from before the chain existed (never sealed) go by their age alone
    unsealed, _detail = LogEntry.objects.filter(seal__isnull=True, timestamp__lt=before).delete()
    return (checkpoint.rows_pruned if checkpoint else 0) + unsealed, checkpoint


def seal_existing() -> int:
    """Seal the rows written before the chain existed (in id order). Used by the migration."""
    n = 0
    for entry_id in LogEntry.objects.filter(seal__isnull=True).order_by("pk").values_list("pk", flat=True):
        seal(entry_id)
        n += 1
    return n
