"""Who may read and file the creation archive (see core.permissions). Pages, API, menu, buttons
and the services ask these."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import OFFICES_AND_UNITS, Role

view = role_rule(OFFICES_AND_UNITS | {Role.EXPERT})  # files, completeness, binders (an expert: its panels' units)
write = role_rule(OFFICES_AND_UNITS)  # file a document, index a file under an element
