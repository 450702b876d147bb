"""Who may change the org-unit registers (see core.permissions); every signed-in role reads them
within its scope."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import ADMINS, OFFICES_AND_UNITS

view = role_rule(None)  # the registers: every signed-in role, each its own subtree
admin = role_rule(ADMINS)  # add and edit org units
creating_unit_edit = role_rule(OFFICES_AND_UNITS)  # a creating unit's own details
