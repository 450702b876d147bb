"""Creating and updating users: one path for the UI form, the createuser command and the demo."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safecommunity.core.roles import CITY_LEVEL_ROLES, Role
from safecommunity.core.scoping import in_scope
from safecommunity.orgunits.models import Department, OrgUnit

from . import permissions
from .models import User


def resolve_placement(*, role: str, code: str) -> tuple[OrgUnit | None, Department | None]:
    """The org unit (or department) a role's user belongs to, from its official code.

    city/expert/sysadmin: the city (500000); district: a district (500103); unit: a creating
    unit (500103001); department: a department's code (GA).
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    if role == Role.DEPARTMENT:
        dept = Department.objects.filter(code__iexact=code).first()
        if dept is None:
            raise ValidationError({"department": _("No department has the code %(code)s.") % {"code": code}})
        return None, dept
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({"org_unit": _("No org unit has the code %(code)s.") % {"code": code}})
    if role in CITY_LEVEL_ROLES and unit.level != OrgUnit.Level.CITY:
        raise ValidationError({"org_unit": _("This role belongs to the city (code of the city, e.g. 500000).")})
    if role == Role.DISTRICT and unit.level != OrgUnit.Level.DISTRICT:
        raise ValidationError({"org_unit": _("A district office user must belong to a district or county.")})
    if role == Role.UNIT and not unit.is_creating_level:
        raise ValidationError({"org_unit": _("A creating-unit user must belong to a township, enterprise or park.")})
    return unit, None


@transaction.atomic
def user_upsert(*, username: str, role: str, code: str, password: str | None = None, full_name: str = "",
                phone: str = "", is_active: bool = True, actor=None) -> tuple[User, bool]:
    """Create the user, or update role, placement and password of an existing one. `actor`: who
    does it from the user page (the account administrators, on users in their scope, never
    locking themselves out); None for the createuser command and the demo.

    Raises ValidationError (naming the field) and changes nothing on bad input.
    """
    if actor is not None and not permissions.user_admin(actor):
        raise PermissionDenied
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("A username is required.")})
    user = User.objects.filter(username=username).first()
    created = user is None
    if actor is not None and not created:
        if not in_scope(actor, user):
            raise PermissionDenied
        if user.pk == actor.pk:  # no one locks themselves out
            errors = {}
            if not is_active:
                errors["is_active"] = _("You cannot deactivate your own account.")
            if role != user.role:
                errors["role"] = _("You cannot change your own role.")
            if errors:
                raise ValidationError(errors)
    org_unit, department = resolve_placement(role=role, code=code)
    if created:
        user = User(username=username)
    user.role = role
    user.org_unit = org_unit
    user.department = department
    user.is_active = is_active
    user.is_staff = role == Role.SYSADMIN
    if full_name:
        user.full_name = full_name
    if phone:
        user.phone = phone
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages})
        user.set_password(password)
    elif created:
        raise ValidationError({"password": _("A new user needs a password.")})
    user.full_clean(exclude=["password"])
    user.save()
    return user, created
