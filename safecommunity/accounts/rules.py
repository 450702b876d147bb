"""Role and scope checks for services and views. Out of scope answers PermissionDenied in
services (views fetch through `visible_to` first, so there it is already a 404)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safecommunity.core.roles import Role


def has_role(user, *roles) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in roles))


def require_role(user, *roles) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(_("Your role may not do this."))


def in_scope(user, org_unit) -> bool:
    """Whether `org_unit` lies under the user's unit (the city office: everywhere)."""
    if not user or not user.is_authenticated or org_unit is None:
        return False
    if user.is_superuser or user.role == Role.CITY:
        return True
    if user.role in (Role.DISTRICT, Role.UNIT):
        return bool(user.scope_path) and org_unit.path.startswith(user.scope_path)
    return False


def require_scope(user, org_unit) -> None:
    if not in_scope(user, org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": org_unit})
