"""Who may do what in the creation work (see core.permissions). Pages, API, menu and buttons ask
these; a unit's status moves by services.TRANSITIONS and ROLES_FOR."""

from safecommunity.core.permissions import has_role, in_scope, role_rule
from safecommunity.core.roles import CITY_ONLY, OFFICES, OFFICES_AND_UNITS, Role

from . import services
from .choices import LetterLevel

CITY = CITY_ONLY
WITH_UNITS = OFFICES_AND_UNITS
FOLLOW_UP_READERS = frozenset({Role.CITY, Role.DISTRICT, Role.DEPARTMENT})

plans = role_rule(OFFICES)  # yearly plans, district assessments, titles, joint meetings
plan_edit = role_rule(CITY)
launch = role_rule(frozenset({Role.DISTRICT}))
register_unit = role_rule(OFFICES)  # enterprise-led communities and parks
history = role_rule(WITH_UNITS)  # status history, responsibility letters
follow_ups = role_rule(FOLLOW_UP_READERS)
follow_up_reopen = role_rule(OFFICES)  # a done follow-up item back to open (its meeting's office)

# What the city office alone sees or does on the pages the district offices share with it; the
# pages' sections and buttons, their forms' choices and the API ask these, never `user.is_city`.
plan_targets = role_rule(CITY)  # a plan's city-wide targets against the actual figures (page, API table)
launch_any_district = role_rule(CITY)  # launch in any district (a district office: in its own only)
members_sync = role_rule(CITY)  # add the municipal departments to the city's joint meeting
letter_any_level = role_rule(CITY)  # sign city–district letters too (a district office: district–unit ones)
meetings_city = role_rule(CITY)  # hold the city's joint meeting besides the districts'


def letter_edit(user, obj=None) -> bool:
    """Edit a responsibility letter: the city office any, a district office those it signs with its
    units (district–unit) — the service's level rule (services._letter_level_check)."""
    if not has_role(user, OFFICES):
        return False
    if obj is None:
        return True
    return in_scope(user, obj) and (letter_any_level(user) or obj.level == LetterLevel.DISTRICT_UNIT)


letter_edit.roles = OFFICES


def allowed_actions(obj, user) -> list[str]:
    """The statuses `user` may move creating unit `obj` to now (services.TRANSITIONS)."""
    return services.allowed_targets(obj, user)


def transition(user, obj=None) -> bool:
    """Change a creating unit's status: the role may; given a unit, it has a status to give now."""
    if not has_role(user, WITH_UNITS):
        return False
    return obj is None or (in_scope(user, obj) and bool(services.allowed_targets(obj, user)))


transition.roles = WITH_UNITS
