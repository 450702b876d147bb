"""Role and scope checks for services and views. Out of scope answers PermissionDenied in
services (views fetch through `visible_to` first, so there it is already a 404)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safecommunity.core.scoping import covers


def has_role(user, *roles) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in roles))


def require_role(user, *roles) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(_("Your role may not do this."))


def in_scope(user, org_unit) -> bool:
    """Whether `org_unit` lies in the user's area of responsibility (the city office: everywhere).
    The rule is core.scoping's (`covers`); whether a record may be read is `visible_to`'s
    (`core.scoping.in_scope(user, obj)`)."""
    return covers(user, org_unit)


def require_scope(user, org_unit) -> None:
    if not in_scope(user, org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": org_unit})
