"""Who may do what in evaluation and designation (see core.permissions). Pages, API, menu and
buttons ask these; an application moves by services.TRANSITIONS and STEP_ROLES, and what a user
may do with one now is `allowed_actions` — read from that one table, never from status strings."""

from safecommunity.core.permissions import role_rule, workflow_rule
from safecommunity.core.roles import CITY_ONLY, OFFICES, OFFICES_AND_UNITS, Role

from . import services

S = services.S
APPLICATION_ROLES = OFFICES_AND_UNITS | {Role.EXPERT}  # the applications and the scoring schemes
EXPERTS = frozenset({Role.EXPERT})

view = role_rule(APPLICATION_ROLES)  # applications (an expert: those of its panels), schemes
apply = role_rule(OFFICES_AND_UNITS)  # start an application, the international indicators
settings = role_rule(CITY_ONLY)  # scheme edits and imports, the expert pool, the rules and reward rates
designations = role_rule(OFFICES_AND_UNITS)
designation_record = role_rule(CITY_ONLY)  # a national or international outcome
funds = role_rule(OFFICES_AND_UNITS)
rewards = role_rule(OFFICES)


def allowed_actions(obj, user) -> set[str]:
    """What `user` may do with application `obj` now (services.TRANSITIONS, STEP_ROLES, the panel)."""
    return services.allowed_actions(obj, user)


def _actions(user, obj):
    return services.allowed_actions(obj, user)


edit_self = workflow_rule("edit_self", services.STEP_ROLES[S.SUBMITTED], _actions)  # self-assessment, work report
submit = workflow_rule("submit", services.STEP_ROLES[S.SUBMITTED], _actions)
review = workflow_rule("review", services.STEP_ROLES[S.FORWARDED] & services.STEP_ROLES[S.RETURNED], _actions)
assign = workflow_rule("assign", services.STEP_ROLES[S.EVALUATING], _actions)  # the expert panel
open_scoring = workflow_rule("open_scoring", CITY_ONLY, _actions)  # before the site visit
score = workflow_rule("score", EXPERTS, _actions)  # an expert's own scores
consolidate = workflow_rule("consolidate", CITY_ONLY | EXPERTS, _actions)  # the panel lead or the city
confirm = workflow_rule("confirm", services.STEP_ROLES[S.DESIGNATED], _actions)
rectify = workflow_rule("rectify", OFFICES_AND_UNITS, _actions)
report = workflow_rule("report", APPLICATION_ROLES, _actions)
