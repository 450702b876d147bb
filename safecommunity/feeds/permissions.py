"""Who may do what with hospital feeds (see core.permissions). Pages, API, menu, buttons and the
services (services.py, push.py) ask these."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import ADMINS, LOCAL_WRITERS, OFFICES, OFFICES_AND_UNITS

READ_ROLES = OFFICES_AND_UNITS
WRITE_ROLES = LOCAL_WRITERS

view = role_rule(READ_ROLES)  # uploads, cases, the quarterly report-card export
write = role_rule(WRITE_ROLES)  # upload, map columns, import, undo, place a case, push tokens
mappings = role_rule(OFFICES_AND_UNITS | ADMINS)  # the value mappings (codes → our choices)
mapping_edit = role_rule(OFFICES | ADMINS)
