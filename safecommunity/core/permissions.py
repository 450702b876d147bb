"""Who may do what: the one place a view, a viewset, a menu entry, a template button or a
service asks.

Each app keeps its rules in `<app>/permissions.py` as plain functions `rule(user, obj=None) -> bool`
(role first, then — given an object — scope and workflow state). They are named
"<app>.<rule>" and asked through `can(user, "hazards.assign", hazard)`; templates ask the same
through `{% load permissions %}`:

    {% if user|can:"hazards.create" %}…{% endif %}           (role only)
    {% can "hazards.assign" hazard as may_assign %}            (role, scope and state of hazard)

A name that does not exist raises (a typo must not hide a button silently).

A plain link to a page asks the page itself: `may_open(user, "injuries:source_update", source)`
(the view's `allowed_roles`, then the record's scope), in templates
`{% if user|can_open:"accounts:user_list" %}` / `{% can_open "injuries:source_update" source as ok %}`.
Workflows expose `allowed_actions(user, obj)` from their one transition table; their action
rules are `workflow_rule(...)` below.
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import import_module

from safecommunity.core.roles import CITY_AND_ADMINS, Role
from safecommunity.core.scoping import in_scope

Rule = Callable[..., bool]


def signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user, roles: Iterable[str] | None) -> bool:
    """`roles` None admits every signed-in role; a superuser has every role."""
    if not signed_in(user):
        return False
    return roles is None or user.is_superuser or getattr(user, "role", None) in roles


def role_rule(roles: Iterable[str] | None, *, scoped: bool = True) -> Rule:
    """A rule admitting `roles`; given an object, also requires it to be in the user's scope."""
    roles = None if roles is None else frozenset(roles)

    def rule(user, obj=None) -> bool:
        if not has_role(user, roles):
            return False
        return obj is None or not scoped or in_scope(user, obj)

    rule.roles = roles
    return rule


def workflow_rule(action: str, roles: Iterable[str], allowed_actions: Callable) -> Rule:
    """A workflow action: without an object, whether the role may ever take it; with one,
    whether it is among `allowed_actions(user, obj)` now (its transition table)."""
    roles = frozenset(roles)

    def rule(user, obj=None) -> bool:
        if not has_role(user, roles):
            return False
        return obj is None or (in_scope(user, obj) and action in allowed_actions(user, obj))

    rule.roles = roles
    return rule


def rule(name: str) -> Rule:
    """The rule called `"<app>.<rule>"` (from safecommunity/<app>/permissions.py)."""
    app, _, rule_name = name.partition(".")
    if not app or not rule_name:
        raise ValueError(f"A permission is named '<app>.<rule>', not {name!r}.")
    module = import_module(f"safecommunity.{app}.permissions")
    found = getattr(module, rule_name.replace("-", "_"), None)
    if not callable(found):
        raise LookupError(f"No permission {name!r} in safecommunity/{app}/permissions.py.")
    return found


def can(user, name: str, obj=None) -> bool:
    return bool(rule(name)(user, obj))


@lru_cache(maxsize=1)
def _views_by_name() -> dict:
    from django.urls import URLPattern, URLResolver, get_resolver

    found = {}

    def walk(resolver, namespace=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                walk(p, ns)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.setdefault(name, getattr(p.callback, "view_class", None))

    walk(get_resolver())
    return found


def may_open(user, url_name: str, obj=None) -> bool:
    """Whether the page `url_name` ("injuries:source_update") admits `user` — by the view's own
    `allowed_roles` — and, given the record it shows, whether the record is in the user's scope.
    A link is shown when this holds: the view's rule, not a copy of it in a template."""
    views = _views_by_name()
    if url_name not in views:
        raise LookupError(f"No page named {url_name!r}.")
    if not has_role(user, getattr(views[url_name], "allowed_roles", None)):
        return False
    return obj is None or in_scope(user, obj)


@lru_cache(maxsize=2048)
def _view_class_at(path: str):
    """The view class answering `path` (None for a function view), or False if no view does."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)


def may_open_url(user, url: str) -> bool:
    """`may_open` for a link already built (a list cell, a breadcrumb): the role check of the view
    answering `url`. Scope is the caller's part: links to records come from `visible_to` querysets."""
    from urllib.parse import urlsplit

    if not url or not signed_in(user):
        return False
    parts = urlsplit(str(url))  # reverse_lazy gives a lazy string
    if parts.netloc or not parts.path.startswith("/"):
        return True  # not one of our pages
    view_class = _view_class_at(parts.path)
    if view_class is False:
        return False
    return has_role(user, getattr(view_class, "allowed_roles", None))


# core's own pages: the code lists (core:codelist_*), asked as "core.codelists"
codelists = role_rule(CITY_AND_ADMINS)

__all__ = ["Role", "can", "has_role", "in_scope", "may_open", "may_open_url", "role_rule", "rule", "signed_in", "workflow_rule"]
