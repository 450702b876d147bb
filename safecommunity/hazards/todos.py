"""The 待办 inbox: hazards waiting on the user — to assign, start, rectify, accept, overdue or under
supervision. The kind is what `allowed_actions` (the rule the buttons and the services use) offers."""

from django.utils.translation import gettext as _

from safecommunity.core.roles import Role
from safecommunity.core.todos import Todo

from .choices import Action
from .selectors import hazard_worklist
from .services import allowed_actions, local_today

# Every model whose table todos() reads: its items stay cached until one of them changes.
DEPENDS_ON = (
    "core.CodeItem",
    "core.CodeList",
    "hazards.Hazard",
    "hazards.HazardStep",
    "orgunits.Department",
    "orgunits.Department_safety_areas",
    "orgunits.OrgUnit",
)

KINDS = {
    Action.ASSIGN: lambda: _("Hazard to assign"),
    Action.START: lambda: _("Hazard to start rectifying"),
    Action.SUBMIT: lambda: _("Hazard to rectify"),
    Action.ACCEPT: lambda: _("Hazard to accept"),
}

# The offices may also record a rectification, but it is the unit's or the department's work.
RECTIFIER_ACTIONS = (Action.START, Action.SUBMIT)
RECTIFIERS = (Role.UNIT, Role.DEPARTMENT)


def todos(user) -> list[Todo]:
    today = local_today()
    hazards = (hazard_worklist(user, today).select_related("org_unit", "responsible_unit")
               .order_by("deadline", "-found_on")[:200])
    items = []
    for hazard in hazards:
        overdue = hazard.deadline is not None and hazard.deadline < today
        actions = [a for a in allowed_actions(user, hazard) if a in KINDS
                   and (a not in RECTIFIER_ACTIONS or user.role in RECTIFIERS)]
        if actions:
            kind, key = KINDS[actions[0]](), actions[0]
        elif overdue:
            kind, key = _("Overdue hazard"), "overdue"
        elif hazard.is_supervised:
            kind, key = _("Hazard under supervision"), "supervised"
        else:
            continue
        items.append(Todo(kind=kind, title=str(hazard), url=hazard.get_absolute_url(), deadline=hazard.deadline,
                          overdue=overdue, key=f"hazards.{key}.{hazard.pk}"))
    return items
