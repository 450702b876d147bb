"""Who may do what in the creation work (see core.permissions). Pages, API, menu and buttons ask
these; a unit's status moves by services.TRANSITIONS and ROLES_FOR."""

from safecommunity.core.permissions import has_role, in_scope, role_rule
from safecommunity.core.roles import CITY_ONLY, OFFICES, OFFICES_AND_UNITS, Role

from . import services

CITY = CITY_ONLY
WITH_UNITS = OFFICES_AND_UNITS
FOLLOW_UP_READERS = frozenset({Role.CITY, Role.DISTRICT, Role.DEPARTMENT})

plans = role_rule(OFFICES)  # yearly plans, district assessments, titles, joint meetings
plan_edit = role_rule(CITY)
launch = role_rule(frozenset({Role.DISTRICT}))
register_unit = role_rule(OFFICES)  # enterprise-led communities and parks
history = role_rule(WITH_UNITS)  # status history, responsibility letters
follow_ups = role_rule(FOLLOW_UP_READERS)


def allowed_actions(obj, user) -> list[str]:
    """The statuses `user` may move creating unit `obj` to now (services.TRANSITIONS)."""
    return services.allowed_targets(obj, user)


def transition(user, obj=None) -> bool:
    """Change a creating unit's status: the role may; given a unit, it has a status to give now."""
    if not has_role(user, WITH_UNITS):
        return False
    return obj is None or (in_scope(user, obj) and bool(services.allowed_targets(obj, user)))


transition.roles = WITH_UNITS
