"""Who may do what with safety-promotion projects and phase evaluations (see core.permissions).
Pages, API, menu and buttons ask these; writes go through the records framework, whose
WRITE_ROLES is the same set (LOCAL_WRITERS)."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import LOCAL_WRITERS, WITH_DEPARTMENTS

view = role_rule(WITH_DEPARTMENTS)  # a department reads the projects it supports
write = role_rule(LOCAL_WRITERS)  # projects, indicators, evaluations, status changes
