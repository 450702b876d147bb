"""Every change of a creating unit's status goes through `creating_unit_transition`.

The legal moves are one explicit table; who may make each move is a second table. An illegal
move raises ValidationError with a clear message and changes nothing.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import in_scope
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import CreatingUnit

S = CreatingUnit.Status

TRANSITIONS: dict[str, set[str]] = {
    S.NOT_STARTED: {S.LAUNCHED},
    S.LAUNCHED: {S.APPLIED},
    S.APPLIED: {S.CITY, S.RETURNED},
    S.RETURNED: {S.APPLIED},
    S.CITY: {S.NATIONAL, S.EXPIRED},
    S.NATIONAL: {S.INTERNATIONAL, S.EXPIRED},
    S.INTERNATIONAL: {S.EXPIRED},
    S.EXPIRED: {S.APPLIED},  # re-evaluation
}

# Which roles may move a unit INTO each status (scope is checked as well).
ROLES_FOR: dict[str, set[str]] = {
    S.LAUNCHED: {Role.DISTRICT, Role.CITY},
    S.APPLIED: {Role.UNIT, Role.DISTRICT, Role.CITY},
    S.RETURNED: {Role.DISTRICT, Role.CITY},
    S.CITY: {Role.CITY},
    S.NATIONAL: {Role.CITY},
    S.INTERNATIONAL: {Role.CITY},
    S.EXPIRED: {Role.CITY},
}


@transaction.atomic
def creating_unit_transition(*, unit: CreatingUnit, to: str, actor, reason: str = "", effective_on: date | None = None,
                             document=None):
    """Move `unit` to status `to`, recording who, when, why (and a decision document).

    Raises ValidationError for an illegal move and PermissionDenied for a role or scope that
    may not make it; in both cases nothing is written.
    """
    from .models import CreationTransition

    unit = CreatingUnit.objects.select_for_update().select_related("org_unit").get(pk=unit.pk)
    if to not in S.values:
        raise ValidationError({"to": _("Unknown status: %(s)s.") % {"s": to}})
    if to not in TRANSITIONS.get(unit.status, set()):
        raise ValidationError(
            _("%(unit)s is “%(current)s”; it cannot become “%(target)s”.")
            % {"unit": unit, "current": S(unit.status).label, "target": S(to).label}
        )
    if not (actor.is_superuser or actor.role in ROLES_FOR.get(to, set())):
        raise PermissionDenied(_("Your role may not set the status “%(target)s”.") % {"target": S(to).label})
    if not in_scope(actor, unit.org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": unit})
    effective_on = effective_on or timezone.localdate()
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("The date cannot be in the future.")})
    if to in (S.RETURNED,) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning.")})

    transition = CreationTransition.objects.create(
        creating_unit=unit, from_status=unit.status, to_status=to, actor=actor, reason=reason.strip(),
        effective_on=effective_on, document=document,
    )
    unit.status = to
    unit.status_changed_at = timezone.now()
    fields = ["status", "status_changed_at"]
    if to == S.LAUNCHED:
        unit.launch_year = effective_on.year
        unit.launched_on = effective_on
        fields += ["launch_year", "launched_on"]
    unit.save(update_fields=fields)
    return transition
