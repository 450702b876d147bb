"""Who may do what: the one place a view, a viewset, a menu entry, a template button or a
service asks.

Each app keeps its rules in `<app>/permissions.py` as plain functions `rule(user, obj=None) -> bool`
(role first, then — given an object — scope and workflow state). They are named
"<app>.<rule>" and asked through `can(user, "hazards.assign", hazard)`; templates ask the same
through `{% load permissions %}`:

    {% if user|can:"hazards.create" %}…{% endif %}           (role only)
    {% can "hazards.assign" hazard as may_assign %}            (role, scope and state of hazard)

A name that does not exist raises (a typo must not hide a button silently).
Workflows expose `allowed_actions(user, obj)` from their one transition table; their action
rules are `workflow_rule(...)` below.
"""

from collections.abc import Callable, Iterable
from importlib import import_module

from safecommunity.core.roles import Role

Rule = Callable[..., bool]


def signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user, roles: Iterable[str] | None) -> bool:
    """`roles` None admits every signed-in role; a superuser has every role."""
    if not signed_in(user):
        return False
    return roles is None or user.is_superuser or getattr(user, "role", None) in roles


def in_scope(user, obj) -> bool:
    """Whether `obj` is among the records `visible_to(user)` (the one scoping rule, core.scoping)."""
    manager = type(obj)._default_manager
    return manager.visible_to(user).filter(pk=obj.pk).exists()


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


__all__ = ["Role", "can", "has_role", "in_scope", "role_rule", "rule", "signed_in", "workflow_rule"]
