"""Who may do what with patrol points and patrols (see core.permissions). Pages, API, menu,
buttons and the services ask these."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import OFFICES_AND_UNITS, Role

view = role_rule(OFFICES_AND_UNITS)
manage = role_rule(OFFICES_AND_UNITS)  # register and edit patrol points
patrol = role_rule(frozenset({Role.UNIT}))  # scan a point and record the round
