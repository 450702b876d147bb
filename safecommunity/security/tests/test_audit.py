from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import ProtectedError
from django.utils import timezone

from safecommunity.security import audit
from safecommunity.security.models import AuditCheckpoint, AuditSeal


def _changes(user, n=3):
    for i in range(n):
        user.phone = f"023-6000000{i}"
        user.save()
    from django.contrib.contenttypes.models import ContentType

    return list(LogEntry.objects.filter(object_pk=str(user.pk), content_type=ContentType.objects.get_for_model(user),
                                        action=LogEntry.Action.UPDATE).order_by("pk"))


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_every_audit_row_is_chained_and_verifies(unit_a):
    entries = _changes(unit_a)
    assert all(AuditSeal.objects.filter(entry=e).exists() for e in entries)
    seals = list(AuditSeal.objects.order_by("seq"))
    assert [s.seq for s in seals] == list(range(1, len(seals) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(seals, seals[1:], strict=False))
    assert "intact" in _verify()


def test_a_row_changed_by_sql_is_found_and_named(unit_a):
    entries = _changes(unit_a)
    target = entries[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {LogEntry._meta.db_table} SET object_repr = %s WHERE id = %s", ["改过", target.pk])
    with pytest.raises(CommandError, match=rf"audit row #{target.pk}\b"):
        _verify()
    verdict = audit.chain_verify()
    assert not verdict.ok and verdict.entry_id == target.pk


def test_a_row_deleted_by_sql_is_found(unit_a):
    entries = _changes(unit_a)
    target, after = entries[1], entries[2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditSeal._meta.db_table} WHERE entry_id = %s", [target.pk])
        cursor.execute(f"DELETE FROM {LogEntry._meta.db_table} WHERE id = %s", [target.pk])
    verdict = audit.chain_verify()
    assert not verdict.ok and verdict.entry_id == after.pk


def test_a_row_inserted_outside_the_product_is_found(unit_a):
    _changes(unit_a, 1)
    forged = LogEntry.objects.bulk_create([LogEntry(
        content_type_id=LogEntry.objects.first().content_type_id, object_pk="1", object_repr="forged",
        action=LogEntry.Action.UPDATE)])[0]
    verdict = audit.chain_verify()
    assert not verdict.ok and verdict.entry_id == forged.pk


def test_audit_rows_cannot_be_changed_or_deleted_through_the_product(unit_a):
    entry = _changes(unit_a, 1)[0]
    entry.object_repr = "x"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(ProtectedError):
        LogEntry.objects.filter(pk=entry.pk).delete()
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = unit_a
    model_admin = admin.site._registry[LogEntry]
    assert not model_admin.has_change_permission(request, entry) and not model_admin.has_add_permission(request)


def test_pruning_keeps_a_signed_checkpoint(unit_a):
    entries = _changes(unit_a, 4)
    old = [e.pk for e in LogEntry.objects.order_by("pk")][:-2]
    cutoff = timezone.now() - timedelta(days=200)
    with connection.cursor() as cursor:  # make the first rows old (the chain breaks there, but they go)
        cursor.execute(f"UPDATE {LogEntry._meta.db_table} SET timestamp = %s WHERE id IN ({','.join(map(str, old))})",
                       [cutoff - timedelta(days=10)])
    deleted, checkpoint = audit.prune(before=cutoff)
    assert deleted == len(old) and checkpoint is not None and checkpoint.rows_pruned == len(old)
    assert LogEntry.objects.filter(pk=entries[-1].pk).exists()
    assert audit.chain_verify().ok
    AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(hash="f" * 64)
    verdict = audit.chain_verify()
    assert not verdict.ok and verdict.seq == checkpoint.seq


def test_sm3_chain(unit_a, settings):
    pytest.importorskip("gmssl")
    settings.AUDIT_HASH_ALGORITHM = "sm3"
    _changes(unit_a, 2)
    assert AuditSeal.objects.filter(algorithm="sm3").count() >= 2 and audit.chain_verify().ok
    assert audit.HASHERS["sm3"](b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_verify_page(unit_a, city_admin, sysadmin, client_for):
    entries = _changes(unit_a)
    page = client_for(city_admin).get("/security/audit/verify/")
    assert page.status_code == 200 and page.context["verdict"].ok
    assert client_for(unit_a).get("/security/audit/verify/").status_code == 403
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {LogEntry._meta.db_table} SET remote_addr = %s WHERE id = %s", ["10.0.0.9", entries[0].pk])
    page = client_for(sysadmin).get("/security/audit/verify/").content.decode()
    assert f"#{entries[0].pk}" in page and "审计链已被破坏" in page
