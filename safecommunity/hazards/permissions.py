"""Who may do what with hazards and risk registers (see core.permissions). The pages, the API,
the menu and the buttons ask these; the services re-check the same tables."""

from safecommunity.core.permissions import role_rule, workflow_rule
from safecommunity.core.roles import CITY_ONLY, WITH_DEPARTMENTS

from . import services
from .choices import Action

READ_ROLES = WITH_DEPARTMENTS
view = role_rule(READ_ROLES)
create = role_rule(services.REPORT_ROLES)  # report a hazard
register = role_rule(services.REGISTER_ROLES)  # risk registers: add, edit, import, delete
deadline_settings = role_rule(CITY_ONLY)  # the rectification period of each grade


def allowed_actions(obj, user) -> list[str]:
    """The workflow actions `user` may take on hazard `obj` now (its one step table)."""
    return services.allowed_actions(user, obj)


def _actions(user, obj):
    return services.allowed_actions(user, obj)


_STEP = {action: roles for action, (_frm, _to, roles) in services.STEPS.items()}
assign = workflow_rule(Action.ASSIGN, _STEP[Action.ASSIGN], _actions)
start = workflow_rule(Action.START, _STEP[Action.START], _actions)
submit = workflow_rule(Action.SUBMIT, _STEP[Action.SUBMIT], _actions)
accept = workflow_rule(Action.ACCEPT, _STEP[Action.ACCEPT], _actions)
return_ = workflow_rule(Action.RETURN, _STEP[Action.RETURN], _actions)
deadline = workflow_rule(Action.DEADLINE, services.DEADLINE_ROLES, _actions)
supervise = workflow_rule(Action.SUPERVISE, CITY_ONLY, _actions)
comment = view  # whoever sees a hazard may comment on it
