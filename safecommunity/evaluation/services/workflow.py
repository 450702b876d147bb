"""The application workflow's one transition table and who makes each move.

    draft ──submit──▶ submitted ──forward──▶ forwarded ──assign panel──▶ evaluating
      ▲                   │ return                                          │ decide (final scores)
      └── returned ◀──────┘ (resubmit: returned → submitted)                ▼
                                                  designated ◀──confirm── decided ──confirm──▶ rejected

`allowed_actions(obj, user)` reads the table for pages and buttons; the writes in the sibling
modules make each move with `_move` (a step row) after their own checks.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from safecommunity.core.roles import Role

from ..models import Application, ApplicationStep, PanelMember
from .scoring import may_see_all_scores

S = Application.Status

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.FORWARDED, S.RETURNED},
    S.RETURNED: {S.SUBMITTED},
    S.FORWARDED: {S.EVALUATING},
    S.EVALUATING: {S.DECIDED},
    S.DECIDED: {S.DESIGNATED, S.REJECTED},
    S.DESIGNATED: set(),
    S.REJECTED: set(),
}
STEP_ROLES: dict[str, set[str]] = {
    S.SUBMITTED: {Role.UNIT, Role.DISTRICT, Role.CITY},
    S.FORWARDED: {Role.DISTRICT, Role.CITY},
    S.RETURNED: {Role.DISTRICT, Role.CITY},
    S.EVALUATING: {Role.CITY},
    S.DECIDED: {Role.CITY, Role.EXPERT},
    S.DESIGNATED: {Role.CITY},
    S.REJECTED: {Role.CITY},
}


def _move(application: Application, to: str, actor, note: str = "") -> None:
    if to not in TRANSITIONS.get(application.status, set()):
        raise ValidationError(
            _("The application is “%(current)s”; it cannot become “%(target)s”.")
            % {"current": S(application.status).label, "target": S(to).label}
        )
    if not (actor.is_superuser or actor.role in STEP_ROLES[to]):
        raise PermissionDenied(_("Your role may not do this."))
    ApplicationStep.objects.create(application=application, from_status=application.status, to_status=to,
                                   actor=actor, note=note)
    application.status = to


def _may_step(application: Application, to: str, role: str) -> bool:
    return to in TRANSITIONS.get(application.status, set()) and role in STEP_ROLES[to]


def allowed_actions(obj: Application, user) -> set[str]:
    """What `user` may do with the application now, read from the one transition table
    (TRANSITIONS, STEP_ROLES) and the panel; pages show a button per action, services still check.

    edit_self (self-assessment, work report), submit, review (forward/return), assign (panel),
    open_scoring (before the site visit), score (await_scoring: a panel member before the site
    visit), consolidate, confirm, rectify, report."""
    role = "city" if user.is_superuser else user.role
    office = role in (Role.UNIT, Role.DISTRICT, Role.CITY)
    member = PanelMember.objects.filter(application=obj, expert=user).first() if role == Role.EXPERT else None
    actions = set()
    if office and _may_step(obj, S.SUBMITTED, role):
        actions |= {"edit_self", "submit"}
    if _may_step(obj, S.FORWARDED, role) and _may_step(obj, S.RETURNED, role):
        actions.add("review")
    if _may_step(obj, S.EVALUATING, role):
        actions.add("assign")
    if S.DECIDED in TRANSITIONS.get(obj.status, set()):
        if role == Role.CITY and not obj.scoring_open():
            actions.add("open_scoring")
        if member is not None and member.submitted_at is None and obj.scoring_open():
            actions.add("score")
        if member is not None and not obj.scoring_open():
            actions.add("await_scoring")  # a panel member's scoring opens on the site-visit date
        if (role == Role.CITY or (member is not None and member.is_lead)) and may_see_all_scores(obj, user):
            actions.add("consolidate")
    if _may_step(obj, S.DESIGNATED, role):
        actions.add("confirm")
    if office and obj.status == S.DECIDED:
        actions.add("rectify")
    if obj.status in (S.DECIDED, S.DESIGNATED, S.REJECTED):
        actions.add("report")
    return actions


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("scheme", "creating_unit", "org_unit").get(
        pk=application.pk)
