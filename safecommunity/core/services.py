"""Writes shared by every app: the save and delete of a record edited through a form or the API
(`record_save`, `record_delete`), notifications and code-list maintenance."""

import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import CodeItem, CodeList, IdempotencyKey, Notification
from .notifications import dispatch
from .roles import Role
from .rules import require_role, require_scope

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _require_record_scope(actor, obj) -> None:
    """A record with an org unit must lie in the actor's area (one without one is left to
    `full_clean`, which names the missing field)."""
    if any(f.name == "org_unit" for f in obj._meta.concrete_fields) and obj.org_unit_id is not None:
        require_scope(actor, obj.org_unit)


@transaction.atomic
def record_save(*, obj, actor, roles, form=None, m2m=None):
    """The one save of a record a form or the API edits: the actor's role among `roles`, the
    record's org unit (when it has one) in the actor's area, `created_by` set on a new record,
    `full_clean`, save, then its many-to-many fields (the form's, or `m2m` {name: values}).
    On bad input a ValidationError naming the field, and nothing written. An app's own service
    (`officer_save`, `codeitem_save`…) calls it with the app's roles and its own rules."""
    require_role(actor, *roles)
    _require_record_scope(actor, obj)
    if obj.pk is None and hasattr(obj, "created_by_id") and obj.created_by_id is None:
        obj.created_by = actor
    obj.full_clean()
    obj.save()
    if form is not None:
        form.save_m2m()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj


@transaction.atomic
def record_delete(*, obj, actor, roles) -> None:
    """The one delete of such a record: role, then scope, then the row (a record other rows
    still protect raises ProtectedError, which the delete page turns into a message)."""
    require_role(actor, *roles)
    _require_record_scope(actor, obj)
    obj.delete()


CODEITEM_EDIT_ROLES = frozenset({Role.SYSADMIN, Role.CITY})


@transaction.atomic
def codeitem_save(*, item: CodeItem, codelist: CodeList, actor) -> CodeItem:
    """Add or change an item of an editable code list."""
    item.codelist = codelist
    return record_save(obj=item, actor=actor, roles=CODEITEM_EDIT_ROLES)


def notify(*, users: Iterable, title: str, body: str = "", url: str = "", level: str = "info", key: str = "") -> int:
    """Send an in-app notification to each user; with `key`, at most once per (user, key).

    Returns the number of notifications created (0 for users that already had this key).
    """
    created = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                notice = Notification.objects.create(user=user, title=title, body=body, url=url, level=level,
                                                     key=key)
                dispatch(notice)  # e-mail, SMS, WeChat: as the user chose (core.notifications)
            created += 1
        except IntegrityError:  # a concurrent sender won the race: still once
            pass
    return created


def codelist_ensure(*, key: str, name: str, items: Iterable[tuple[str, str] | tuple[str, str, str]], system=True):
    """Create a code list and any missing items (idempotent; never overwrites edits made in the UI)."""
    codelist, _ = CodeList.objects.get_or_create(key=key, defaults={"name": name, "is_system": system})
    existing = set(codelist.items.values_list("code", flat=True))
    new = []
    for order, item in enumerate(items, start=1):
        code, label = item[0], item[1]
        name_en = item[2] if len(item) > 2 else ""
        if code not in existing:
            new.append(CodeItem(codelist=codelist, code=code, name=label, name_en=name_en, sort_order=order * 10))
    CodeItem.objects.bulk_create(new)
    return codelist


def submission_seen(*, key: str, actor, model):
    """The `model` record an earlier submission of `actor` with idempotency `key` stored, or None
    (no key: every submission is new). A malformed key is refused, naming the field."""
    if not key:
        return None
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationError({"idempotency_key": _("This submission key is not valid.")})
    done = IdempotencyKey.objects.filter(user=actor, key=key).first()
    if done is None:
        return None
    return model._default_manager.filter(pk=done.object_id).first()


def submission_record(*, key: str, actor, obj) -> None:
    """Remember that `actor`'s submission `key` stored `obj` (inside the service's transaction:
    a concurrent second sending fails on the unique key and stores nothing)."""
    if key:
        IdempotencyKey.objects.create(key=key, user=actor, object_id=obj.pk,
                                      content_type=ContentType.objects.get_for_model(obj))


@transaction.atomic
def notification_preference_set(*, actor, channels: list[str], quiet_start=None, quiet_end=None,
                                urgent_in_quiet_hours: bool = True):
    """A user's own choice of channels and quiet hours (nobody sets another's)."""
    from .notifications import channels as configured
    from .notifications import preference

    unknown = [c for c in channels if c not in configured()]
    if unknown:
        raise ValidationError({"channels": _("Unknown channel: %(c)s") % {"c": "、".join(unknown)}})
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError({"quiet_end": _("Give both ends of the quiet hours, or neither.")})
    pref = preference(actor)
    pref.channels, pref.quiet_start, pref.quiet_end = list(channels), quiet_start, quiet_end
    pref.urgent_in_quiet_hours = urgent_in_quiet_hours
    pref.full_clean()
    pref.save()
    return pref
