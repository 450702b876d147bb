"""Who may do what with monthly reports (see core.permissions). Pages, API, menu and buttons
ask these; the workflow's one table is services.TRANSITIONS."""

from safecommunity.core.permissions import has_role, role_rule, workflow_rule
from safecommunity.core.roles import CITY_ONLY, LOCAL_WRITERS, OFFICES, OFFICES_AND_UNITS, Role
from safecommunity.core.rules import in_scope

from . import services
from .models import ReportStep, UnlockRequest

A = ReportStep.Action
REPORT_ROLES = OFFICES_AND_UNITS  # write and read reports
REVIEW_ROLES = OFFICES  # boards, completeness, approvals

view = role_rule(REPORT_ROLES)
review = role_rule(REVIEW_ROLES)
city_summary = role_rule(CITY_ONLY)
write = role_rule(LOCAL_WRITERS)  # start and edit a report (a district: its summary)
writes_summary = role_rule(frozenset({Role.DISTRICT}))  # a district office's report is its district's summary
deadlines = role_rule(CITY_ONLY)
officers = role_rule(REPORT_ROLES)


# The workflow steps of services.TRANSITIONS as the detail page posts them (reports:report_action)
# and the API names them.
STEP_ACTIONS = {
    A.SUBMIT: "submit",
    A.DISTRICT_APPROVE: "approve",
    A.CITY_APPROVE: "approve",
    A.RETURN: "return",
    A.UNLOCK_REQUEST: "unlock",
    A.UNLOCK_GRANT: "decide",
}


def allowed_actions(obj, user) -> set[str]:
    """What `user` may do with report `obj` now — the one answer the detail page's buttons, its
    action view and the API read. The workflow steps come from services.TRANSITIONS (through
    services.allowed_actions: role, scope, not one's own report to approve): "submit",
    "approve", "return"; "unlock" (ask, none pending) and "decide" (grant or refuse the pending
    request) for a locked report. Besides: "edit" while the report's author may change it, and
    "comment" for the reviewing offices."""
    if not has_role(user, REPORT_ROLES) or not in_scope(user, obj.org_unit):  # the services' scope check
        return set()
    steps = services.allowed_actions(obj, user)
    found = {STEP_ACTIONS[s] for s in steps if s in STEP_ACTIONS}
    if found & {"unlock", "decide"}:
        pending = obj.unlock_requests.filter(status=UnlockRequest.Status.PENDING).exists()
        found.discard("decide" if not pending else "unlock")
    if obj.is_editable and has_role(user, {services.AUTHOR_ROLE[obj.kind]}):
        found.add("edit")
    if review(user):
        found.add("comment")
    return found


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
