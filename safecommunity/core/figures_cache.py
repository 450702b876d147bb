"""Figures many users read and few change, computed once and kept in the cache (Redis in
production) until a record they depend on changes.

    totals = cached_figures("home.unit_totals", scope=scope_key(user),
                            depends_on=("orgunits.CreatingUnit",), compute=lambda: unit_status_totals(user))

Each model label has a version number in the cache; a figure's cache key carries the versions of
the models it depends on, so a save or delete of any such record (Django's post_save/post_delete,
wired up for every model in `ready()`) makes the next read compute afresh — no figure is ever
served from before a write. Writes that send no signal (bulk_create, update(), COPY in the
importers) call `figures_changed("app.Model", …)` once at their end.

A burst of users asking for the same missing figure computes it once: the first takes a short lock,
the others wait for its result (up to `FIGURES_CACHE_WAIT` seconds) before computing themselves.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

_VERSION = "figver:"


def scope_key(user) -> str:
    """What a figure of a scoped page depends on besides the data: the user's role and placement."""
    return f"{getattr(user, 'role', '')}:{getattr(user, 'org_unit_id', '')}:{getattr(user, 'department_id', '')}"


def _versions(labels) -> str:
    keys = [_VERSION + label for label in labels]
    found = cache.get_many(keys)
    missing = {k: 1 for k in keys if k not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return ".".join(str(found[k]) for k in keys)


def figures_changed(*labels: str) -> None:
    """Records of these models ("app_label.ModelName") changed: figures built on them are stale."""
    for label in labels:
        key = _VERSION + label
        try:
            cache.incr(key)
        except ValueError:  # never read yet: nothing cached depends on it
            cache.set(key, 2, timeout=None)


def cached_figures(name: str, *, scope: str, depends_on: tuple[str, ...], compute, timeout: int | None = None):
    timeout = timeout if timeout is not None else getattr(settings, "FIGURES_CACHE_SECONDS", 600)
    if not timeout:
        return compute()
    digest = hashlib.sha1(f"{scope}|{_versions(depends_on)}".encode()).hexdigest()
    key = f"fig:{name}:{digest}"
    sentinel = object()
    value = cache.get(key, sentinel)
    if value is not sentinel:
        return value
    lock = key + ":lock"
    if not cache.add(lock, 1, timeout=30):
        deadline = time.monotonic() + getattr(settings, "FIGURES_CACHE_WAIT", 5)
        while time.monotonic() < deadline:
            time.sleep(0.05)
            value = cache.get(key, sentinel)
            if value is not sentinel:
                return value
    try:
        value = compute()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value


# Changes that no figure is built on: sign-in state, the audit trail itself.
_IGNORED_APPS = frozenset({"sessions", "auditlog", "axes", "admin", "contenttypes", "authtoken"})


def _on_change(sender, **kwargs):
    if sender._meta.app_label not in _IGNORED_APPS:
        figures_changed(sender._meta.label)


def connect_signals():
    """Called from core's AppConfig.ready(): every save or delete of a model bumps its version."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_change, dispatch_uid="figures_cache.save")
    post_delete.connect(_on_change, dispatch_uid="figures_cache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="figures_cache.m2m")


def _on_m2m(sender, instance, **kwargs):
    _on_change(type(instance))
