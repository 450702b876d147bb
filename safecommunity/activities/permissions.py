"""Who may read and record activities, meetings and the emergency registers (see
core.permissions). Pages, API and menu ask these; writes go through the records framework,
whose WRITE_ROLES is the same set (LOCAL_WRITERS)."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import LOCAL_WRITERS, OFFICES_AND_UNITS

view = role_rule(OFFICES_AND_UNITS)
write = role_rule(LOCAL_WRITERS)
