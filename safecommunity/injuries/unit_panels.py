"""A block on an org unit's page: its injury summary for this year and last."""

from django.utils import timezone

from safecommunity.core.roles import Role
from safecommunity.core.scoping import covers

from . import selectors


def unit_panels(request, org_unit, creating_unit):
    user = request.user
    if not (user.is_superuser or user.role in (Role.CITY, Role.DISTRICT, Role.UNIT, Role.DEPARTMENT)):
        return []
    if user.role in (Role.DISTRICT, Role.UNIT) and not covers(user, org_unit):
        return []
    year = timezone.localdate().year
    a = selectors.analysis(user, org_unit, year)
    last = next((r for r in a.trend if r.key == str(year - 1)), None)
    return [{
        "template": "injuries/unit_panel.html",
        "context": {"a": a, "last": last, "unit": org_unit},
        "order": 40,
    }]
