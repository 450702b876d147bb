"""Who may do what with hazards and risk registers (see core.permissions)."""

from safecommunity.core.permissions import role_rule, workflow_rule
from safecommunity.core.roles import OFFICES, WITH_DEPARTMENTS, Role

from . import services
from .choices import Action

READ_ROLES = WITH_DEPARTMENTS
view = role_rule(READ_ROLES)
create = role_rule(services.REPORT_ROLES)  # report a hazard
register = role_rule(services.REGISTER_ROLES)  # risk registers: add, edit, import
deadline_settings = role_rule(OFFICES)

_STEP = {action: roles for action, (_frm, _to, roles) in services.STEPS.items()}
assign = workflow_rule(Action.ASSIGN, _STEP[Action.ASSIGN], services.allowed_actions)
start = workflow_rule(Action.START, _STEP[Action.START], services.allowed_actions)
submit = workflow_rule(Action.SUBMIT, _STEP[Action.SUBMIT], services.allowed_actions)
accept = workflow_rule(Action.ACCEPT, _STEP[Action.ACCEPT], services.allowed_actions)
return_ = workflow_rule(Action.RETURN, _STEP[Action.RETURN], services.allowed_actions)
deadline = workflow_rule(Action.DEADLINE, services.DEADLINE_ROLES, services.allowed_actions)
supervise = workflow_rule(Action.SUPERVISE, frozenset({Role.CITY}), services.allowed_actions)
comment = role_rule(READ_ROLES)  # anyone who sees the hazard may comment on it
