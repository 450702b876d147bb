"""Who must give a second factor, and whether this session still owes one (django-otp).

A user with a confirmed device (TOTP app, or recovery codes) gives a code after the password;
a user whose role is in TWO_FACTOR_REQUIRED_ROLES (city office, system admin) and has no device
yet is sent to enrolment before any page opens.
"""

from django.conf import settings
from django_otp import user_has_device

NO_DEVICE_SESSION_KEY = "security_no_second_factor"
VERIFY, ENROL = "verify", "enrol"


def required_for(user) -> bool:
    return bool(user.is_authenticated) and (
        user.role in settings.TWO_FACTOR_REQUIRED_ROLES
        or (user.is_superuser and "sysadmin" in settings.TWO_FACTOR_REQUIRED_ROLES)
    )


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def second_factor_pending(request) -> str | None:
    """VERIFY (a code is owed), ENROL (a device must be set up first) or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    required = required_for(user)
    session = getattr(request, "session", None)
    if not required and session is not None and session.get(NO_DEVICE_SESSION_KEY) == user.pk:
        return None
    if has_device(user):
        return VERIFY
    if required:
        return ENROL
    if session is not None:
        session[NO_DEVICE_SESSION_KEY] = user.pk  # no device, not required: ask no more this session
    return None
