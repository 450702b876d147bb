"""Who may open the big screen (see core.permissions)."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import OFFICES

view = role_rule(OFFICES)
