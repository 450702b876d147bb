"""The 待办 inbox of the system administrator: accounts locked after repeated failed sign-ins."""

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.todos import Todo

from .permissions import ADMIN_ROLES


def locked_attempts():
    """Accounts locked now: AXES_FAILURE_LIMIT failures within the cool-off time."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                         attempt_time__gte=since).order_by("-attempt_time"))


def todos(user) -> list[Todo]:
    if not (user.is_superuser or user.role in ADMIN_ROLES):
        return []
    url = reverse("accounts:login_log")
    return [Todo(kind=_("Locked account to check"), title=a.username, url=url,
                 key=f"accounts.locked.{a.pk}") for a in locked_attempts()[:50]]
