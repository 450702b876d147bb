from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditSeal(models.Model):
    """The link of one audit row (auditlog's LogEntry) in the hash chain:
    hash = H(prev_hash + canonical row), H = SHA-256 (or SM3). Rows are sealed in order under a
    lock on the chain head, so `seq` has no gaps; a changed, deleted or inserted row breaks it."""

    entry = models.OneToOneField("auditlog.LogEntry", on_delete=models.PROTECT, related_name="seal")
    seq = models.PositiveBigIntegerField(unique=True)
    algorithm = models.CharField(max_length=8, default="sha256")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self):
        return f"{self.seq} {self.hash[:12]}"


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash. Sealing updates it first, which locks it until
    the transaction ends (PostgreSQL row lock; SQLite's single writer)."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"{self.seq} {self.hash[:12]}"


class AuditCheckpoint(models.Model):
    """Kept when old audit rows are pruned: the last pruned link, signed with HMAC-SHA256 by
    AUDIT_CHECKPOINT_KEY, so the chain still verifies from there."""

    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    pruned_before = models.DateTimeField()
    rows_pruned = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit checkpoint")

    def __str__(self):
        return f"{self.seq} {self.hash[:12]}"
