"""Patrols due or missed at the points of the user's unit (a unit user patrols them)."""

from django.utils.translation import gettext as _

from safecommunity.core.roles import Role
from safecommunity.core.todos import Todo

from .models import PatrolPoint
from .selectors import points_due

# Every model whose table todos() reads: its items stay cached until one of them changes.
DEPENDS_ON = (
    "orgunits.OrgUnit",
    "patrols.Patrol",
    "patrols.PatrolPoint",
)


def todos(user) -> list[Todo]:
    if getattr(user, "role", None) != Role.UNIT:
        return []
    from django.utils import timezone

    today = timezone.localdate()
    rows = points_due(PatrolPoint.objects.visible_to(user).select_related("org_unit"))
    return [Todo(kind=_("Patrol missed") if d.due < today else _("Patrol due"), title=d.point.name,
                 url=d.point.scan_url(), deadline=d.due, overdue=d.due < today, key=f"patrols.due.{d.point.pk}")
            for d in rows if d.due <= today][:200]
