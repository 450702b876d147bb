"""Who may read the quarterly league table and set its weights (see core.permissions)."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import CITY_ONLY, OFFICES

view = role_rule(OFFICES)
weights = role_rule(CITY_ONLY)
