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

Versions are kept per place in the org-unit tree, so that at month's end, when every unit writes,
a unit's figures are not thrown away by another district's writes. A figure that reads only the
records of one subtree (a unit's to-do list, its scorecard, a district's ranking) passes that
subtree's path as `node`; it is then recomputed after a write of a record placed in that subtree
or at one of its ancestors (a district's notice reaches its units), and after any write whose
place is unknown (a model without an org unit, a bulk write reported by `figures_changed`). A
figure without `node` is the city's: every write of its models recomputes it. A record's place
is the org unit its model's scoping queryset names (`scope_field`, through `parent_field` for a
child row), before and after the write (a record moved to another unit changes both); a model
whose queryset widens the district or unit rule declares every field that places a record in
`placement_fields` (hazards: its unit and its responsible unit), else its writes count as unplaced.

The versions a request reads are read once per request. A write bumps them at once (the writer's
next read is fresh) and again when its transaction commits (a reader that computed between the two
from the data before the commit is not kept).
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

_VERSION = "figver:"
_request = threading.local()  # .versions: the versions read in this request (None outside one)


def scope_key(user) -> str:
    """What a figure of a scoped page depends on besides the data: the user's role and placement."""
    return f"{getattr(user, 'role', '')}:{getattr(user, 'org_unit_id', '')}:{getattr(user, 'department_id', '')}"


def user_node(user) -> str:
    """The subtree whose records make up what a district office or a creating unit sees ('' for
    every other role: their figures are the city's)."""
    from .roles import Role
    from .scoping import user_path

    if getattr(user, "is_superuser", False) or getattr(user, "role", None) not in (Role.DISTRICT, Role.UNIT):
        return ""
    return user_path(user)


def common_node(paths) -> str:
    """The deepest subtree holding every one of these org-unit paths ('' for none or the whole city)."""
    paths = [p for p in paths if p]
    if not paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    shared = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        shared.append(codes[0])
    return "/" + "/".join(shared) + "/" if shared else ""


def _ancestors(path: str) -> list[str]:
    """'/a/b/c/' -> ['/a/', '/a/b/'] (the strict ancestors)."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes))]


def _keys(label: str, node: str) -> list[str]:
    base = _VERSION + label
    if not node:
        return [base, base + "@sub:/"]
    return [base, f"{base}@sub:{node}"] + [f"{base}@own:{a}" for a in _ancestors(node)]


def _prefetch(wanted, into: dict) -> None:
    """Read these version keys into `into` in one round trip (a key never set starts at 1)."""
    if not wanted:
        return
    wanted = list(wanted)
    fetched = cache.get_many(wanted)
    missing = {k: 1 for k in wanted if k not in fetched}
    if missing:
        cache.set_many(missing, timeout=None)
        fetched.update(missing)
    into.update(fetched)


def _versions(labels, node: str = "", memo=None) -> str:
    keys = [k for label in labels for k in _keys(label, node)]
    memo = memo if memo is not None else getattr(_request, "versions", None)
    found = {k: memo[k] for k in keys if k in memo} if memo is not None else {}
    fetched: dict = {}
    _prefetch([k for k in keys if k not in found], fetched)
    found.update(fetched)
    if memo is not None:
        memo.update(fetched)
    return ".".join(str(found[k]) for k in keys)


def _bump(keys) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # never read yet: nothing cached depends on it
            cache.set(key, 2, timeout=None)
    memo = getattr(_request, "versions", None)
    if memo:
        memo.clear()


def _write_keys(label: str, paths) -> list[str]:
    base = _VERSION + label
    if paths is None:  # place unknown: every figure on the model
        return [base]
    keys = set()
    for path in paths:
        keys.add(base + "@sub:/")
        for prefix in _ancestors(path) + [path]:
            keys.add(f"{base}@sub:{prefix}")
        keys.add(f"{base}@own:{path}")
    return sorted(keys)


def figures_changed(*labels: str, paths=None) -> None:
    """Records of these models ("app_label.ModelName") changed: figures built on them are stale.
    `paths`: the org-unit paths of the records written, where the caller knows them all (None: any)."""
    keys = [k for label in labels for k in _write_keys(label, paths)]
    _bump(keys)
    if _caching() and transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(keys))


def cached_figures(name: str, *, scope: str, depends_on: tuple[str, ...], compute, timeout: int | None = None,
                   node: str = ""):
    """`compute()`, kept until a record of `depends_on` changes. `node`: the org-unit path of the only
    subtree the figure reads (see the module's text); '' for a city-wide figure."""
    timeout = timeout if timeout is not None else getattr(settings, "FIGURES_CACHE_SECONDS", 600)
    if not timeout:
        return compute()
    digest = hashlib.sha1(f"{scope}|{node}|{_versions(depends_on, node)}".encode()).hexdigest()
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


def cached_figures_many(asks: list[dict]) -> list:
    """Several figures at once (each dict holds `cached_figures`' arguments): the versions and the
    values of all of them in two round trips to the cache; a missing one is computed as
    `cached_figures` does. The to-do count on every page asks each app's list this way."""
    if not asks:
        return []
    memo = getattr(_request, "versions", None)
    memo = memo if memo is not None else {}
    wanted = {k for ask in asks for label in ask["depends_on"] for k in _keys(label, ask.get("node", ""))}
    _prefetch(wanted - memo.keys(), memo)
    keys = []
    for ask in asks:
        timeout = ask.get("timeout")
        timeout = timeout if timeout is not None else getattr(settings, "FIGURES_CACHE_SECONDS", 600)
        if not timeout:
            keys.append(None)
            continue
        node = ask.get("node", "")
        digest = hashlib.sha1(f"{ask['scope']}|{node}|{_versions(ask['depends_on'], node, memo)}".encode()).hexdigest()
        keys.append(f"fig:{ask['name']}:{digest}")
    found = cache.get_many([k for k in keys if k])
    results = []
    for ask, key in zip(asks, keys, strict=True):
        if key is None:
            results.append(ask["compute"]())
        elif key in found:
            results.append(found[key])
        else:
            results.append(cached_figures(**ask))
    return results


# Changes that no figure is built on: sign-in state, the audit trail itself.
_IGNORED_APPS = frozenset({"sessions", "auditlog", "axes", "admin", "contenttypes", "authtoken"})
_lookups: dict = {}


def _placement_lookups(model):
    """The lookups from `model` to the paths of the org units that place its records (None: the
    records have no place, or the model does not say all of them)."""
    if model in _lookups:
        return _lookups[model]
    from .scoping import ScopedQuerySet

    found = None
    qs = model._default_manager.all()
    if isinstance(qs, ScopedQuerySet):
        if qs.parent_field:
            parent = _placement_lookups(model._meta.get_field(qs.parent_field).related_model)
            found = None if parent is None else tuple(f"{qs.parent_field}__{lookup}" for lookup in parent)
        elif qs.scope_field is not None:
            fields = getattr(qs, "placement_fields", None)
            widened = (type(qs).district_q is not ScopedQuerySet.district_q
                       or type(qs).unit_q is not ScopedQuerySet.unit_q)
            if fields is None and not widened:
                fields = (qs.scope_field,)
            if fields is not None:
                found = tuple(f"{f}__path" if f else "path" for f in fields)
    _lookups[model] = found
    return found


def _paths_of(model, pk):
    lookups = _placement_lookups(model)
    if lookups is None or pk is None:
        return None
    row = model._base_manager.filter(pk=pk).values_list(*lookups).first()
    return [p for p in row if p] if row is not None else []


def _caching() -> bool:
    return bool(getattr(settings, "FIGURES_CACHE_SECONDS", 0) or getattr(settings, "TODOS_CACHE_SECONDS", 0))


def _before(sender, instance, **kwargs):
    """Before an update or a delete: where the record was."""
    if sender._meta.app_label in _IGNORED_APPS or instance._state.adding or instance.pk is None or not _caching():
        return
    instance._figures_paths_before = _paths_of(sender, instance.pk)


def _on_change(sender, instance=None, **kwargs):
    if sender._meta.app_label in _IGNORED_APPS:
        return
    paths = None
    if instance is not None and _caching():
        paths = getattr(instance, "_figures_paths_before", [])
        instance.__dict__.pop("_figures_paths_before", None)
        if paths is not None and "created" in kwargs:  # a save: where the record is now, too
            after = _paths_of(sender, instance.pk)
            paths = None if after is None else sorted(set(paths) | set(after))
        if not paths:  # a record placed nowhere is the city's alone: say it changed for all
            paths = None
    figures_changed(sender._meta.label, paths=paths)


def _request_started(**kwargs):
    _request.versions = {}


def _request_finished(**kwargs):
    _request.versions = None


def connect_signals():
    """Called from core's AppConfig.ready(): every save or delete of a model bumps its version."""
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    pre_save.connect(_before, dispatch_uid="figures_cache.before_save")
    pre_delete.connect(_before, dispatch_uid="figures_cache.before_delete")
    post_save.connect(_on_change, dispatch_uid="figures_cache.save")
    post_delete.connect(_on_change, dispatch_uid="figures_cache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="figures_cache.m2m")
    request_started.connect(_request_started, dispatch_uid="figures_cache.request_started")
    request_finished.connect(_request_finished, dispatch_uid="figures_cache.request_finished")


def _on_m2m(sender, instance, model=None, action="", **kwargs):
    """A many-to-many change: the row's model, the other side's and the link table (`sender`)."""
    if not action.startswith("post_"):
        return
    labels = {type(instance)._meta.label, sender._meta.label}
    if model is not None:
        labels.add(model._meta.label)
    figures_changed(*sorted(labels))
