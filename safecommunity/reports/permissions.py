"""Who may do what with monthly reports (see core.permissions). Pages, API, menu and buttons
ask these; the workflow's one table is services.TRANSITIONS."""

from safecommunity.core.permissions import role_rule, workflow_rule
from safecommunity.core.roles import CITY_ONLY, LOCAL_WRITERS, OFFICES, OFFICES_AND_UNITS

from . import services
from .models import ReportStep

A = ReportStep.Action
REPORT_ROLES = OFFICES_AND_UNITS  # write and read reports
REVIEW_ROLES = OFFICES  # boards, completeness, approvals

view = role_rule(REPORT_ROLES)
review = role_rule(REVIEW_ROLES)
city_summary = role_rule(CITY_ONLY)
write = role_rule(LOCAL_WRITERS)  # start and edit a report (a district: its summary)
deadlines = role_rule(CITY_ONLY)
officers = role_rule(REPORT_ROLES)


def allowed_actions(obj, user) -> set[str]:
    """The workflow actions `user` may take on report `obj` now (services.TRANSITIONS)."""
    return services.allowed_actions(obj, user)


def _actions(user, obj):
    return services.allowed_actions(obj, user)


def _roles(action) -> frozenset:
    return frozenset(r for (_k, a, _f), (_to, roles) in services.TRANSITIONS.items() if a == action for r in roles)


submit = workflow_rule(A.SUBMIT, _roles(A.SUBMIT), _actions)
district_approve = workflow_rule(A.DISTRICT_APPROVE, _roles(A.DISTRICT_APPROVE), _actions)
city_approve = workflow_rule(A.CITY_APPROVE, _roles(A.CITY_APPROVE), _actions)
return_ = workflow_rule(A.RETURN, _roles(A.RETURN), _actions)
unlock = workflow_rule(A.UNLOCK_GRANT, _roles(A.UNLOCK_GRANT), _actions)
unlock_request = workflow_rule(A.UNLOCK_REQUEST, LOCAL_WRITERS, _actions)
