"""One place ends a user's credentials: when the password, role, unit, department or active flag of
an account changes (through any path: the user page, the createuser command, a password change),
every API token of the account is deleted; sessions end through the session hash."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import audit, services

WATCHED = ("password", "role", "org_unit_id", "department_id", "is_active")


@receiver(pre_save, sender=get_user_model())
def _end_credentials_on_change(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "role", "org_unit", "department", "is_active"} & set(
            update_fields):
        return  # e.g. last_login at each sign-in
    before = sender.objects.filter(pk=instance.pk).values(*WATCHED).first()
    if before and any(before[name] != getattr(instance, name) for name in WATCHED):
        services.credentials_revoke(user=instance)


# -- The audit chain: every new audit row is sealed; none is changed through the product ----------

@receiver(post_save, sender=LogEntry)
def _seal_audit_row(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        audit.seal(instance.pk)


@receiver(pre_save, sender=LogEntry)
def _audit_rows_are_never_changed(sender, instance, raw=False, **kwargs):
    if not raw and not instance._state.adding:
        raise PermissionDenied("Audit rows cannot be changed.")
