"""A creating unit's lifecycle: every change of its status goes through `creating_unit_transition`.

The legal moves are one explicit table (TRANSITIONS); who may make each move is a second table
(ROLES_FOR); each move is a CreationTransition row (who, when, why, document) — the step table. An
illegal move raises ValidationError with a clear message and changes nothing. Also here: the launch
of several units at once, the registration of enterprise-led communities and parks, and the
reminders before a title expires."""

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from ..choices import TITLE_VALIDITY_YEARS

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

DESIGNATIONS = (S.CITY, S.NATIONAL, S.INTERNATIONAL)


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def transition_check(*, unit: CreatingUnit, to: str, actor, effective_on: date | None = None, reason: str = "",
                     valid_until: date | None = None) -> None:
    """Raise what `creating_unit_transition` would raise, without writing anything."""
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
    if valid_until is not None and valid_until <= effective_on:
        raise ValidationError({"valid_until": _("The title must stay valid after the date of the decision.")})


def _notify_unit(transition) -> None:
    """Tell the unit's own accounts that its status changed (once per transition)."""
    from safecommunity.accounts.models import User
    from safecommunity.core.services import notify

    unit = transition.creating_unit
    users = User.objects.filter(role=Role.UNIT, org_unit_id=unit.org_unit_id, is_active=True)
    level = "warning" if transition.to_status == S.RETURNED else "info"
    notify(users=users, title=_("%(unit)s is now “%(status)s”.") % {"unit": unit, "status": S(transition.to_status).label},
           body=transition.reason, url=unit.get_absolute_url(), level=level, key=f"creation:transition:{transition.pk}")


def date_order_check(*, unit: CreatingUnit, effective_on: date | None) -> None:
    """A move cannot be dated before the unit's previous one (pages and API; the core service
    `creating_unit_transition` leaves this to its callers so that their behaviour is unchanged)."""
    effective_on = effective_on or timezone.localdate()
    last = unit.transitions.order_by("-effective_on").values_list("effective_on", flat=True).first()
    if last and effective_on < last:
        raise ValidationError({"effective_on": _("The date cannot be before the previous status change (%(date)s).")
                               % {"date": last.isoformat()}})


def upload_check(uploaded, *, field: str) -> None:
    """`archive.services.validate_upload` (size, extension, content) before anything is stored,
    its messages on the form field `field`."""
    from safecommunity.archive.services import validate_upload

    try:
        validate_upload(uploaded)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def allowed_targets(unit: CreatingUnit, actor) -> list[str]:
    """The statuses `actor` may move `unit` to now (for forms and buttons)."""
    if not in_scope(actor, unit.org_unit):
        return []
    return [to for to in S.values if to in TRANSITIONS.get(unit.status, set())
            and (actor.is_superuser or actor.role in ROLES_FOR.get(to, set()))]


@transaction.atomic
def creating_unit_transition(*, unit: CreatingUnit, to: str, actor, reason: str = "", effective_on: date | None = None,
                             document=None, valid_until: date | None = None):
    """Move `unit` to status `to`, recording who, when, why (and a decision document).

    A designation (Chongqing / National / International) keeps the title's validity: the
    given `valid_until`, else TITLE_VALIDITY_YEARS after the decision.
    Raises ValidationError for an illegal move and PermissionDenied for a role or scope that
    may not make it; in both cases nothing is written.
    """
    from ..models import CreationTransition

    unit = CreatingUnit.objects.select_for_update().select_related("org_unit").get(pk=unit.pk)
    transition_check(unit=unit, to=to, actor=actor, effective_on=effective_on, reason=reason,
                     valid_until=valid_until)
    effective_on = effective_on or timezone.localdate()
    if to in DESIGNATIONS and valid_until is None:
        valid_until = add_years(effective_on, TITLE_VALIDITY_YEARS[to])
    if to not in DESIGNATIONS:
        valid_until = None

    transition = CreationTransition.objects.create(
        creating_unit=unit, from_status=unit.status, to_status=to, actor=actor, reason=reason.strip(),
        effective_on=effective_on, document=document, valid_until=valid_until,
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


@transaction.atomic
def creating_unit_transition_with_file(*, unit: CreatingUnit, to: str, actor, reason: str = "",
                                       effective_on: date | None = None, uploaded=None,
                                       valid_until: date | None = None):
    """A transition with its decision document uploaded now: all checks run before the file is stored."""
    from safecommunity.archive.services import attachment_create

    unit = CreatingUnit.objects.select_related("org_unit").get(pk=unit.pk)
    transition_check(unit=unit, to=to, actor=actor, effective_on=effective_on, reason=reason,
                     valid_until=valid_until)
    date_order_check(unit=unit, effective_on=effective_on)
    if to == S.LAUNCHED and uploaded is None:
        raise ValidationError({"document": _("Attach the implementation plan.")})
    if to in DESIGNATIONS + (S.EXPIRED,) and uploaded is None:
        raise ValidationError({"document": _("Attach the decision document.")})
    document = None
    if uploaded is not None:
        upload_check(uploaded, field="document")
        document = attachment_create(
            uploaded=uploaded, org_unit=unit.org_unit, actor=actor, obj=unit,
            role="implementation_plan" if to == S.LAUNCHED else f"decision:{to}",
            title=_("Implementation plan") if to == S.LAUNCHED else _("Decision: %(status)s") % {"status": S(to).label},
            document_date=effective_on,
        )
    transition = creating_unit_transition(unit=unit, to=to, actor=actor, reason=reason, effective_on=effective_on,
                                          document=document, valid_until=valid_until)
    _notify_unit(transition)
    return transition


@transaction.atomic
def creating_units_launch(*, units, actor, launched_on: date, plan_file, reason: str = "") -> list:
    """Launch several creating units at once, each with the implementation plan: all or nothing.

    Every unit is checked (status, role, scope, date) before anything is written; the first
    problem is raised naming the unit, and no unit is launched. The plan document is filed in
    each unit's archive.
    """
    from safecommunity.archive.services import attachment_create

    units = list(units)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit to launch.")})
    if launched_on is None:
        raise ValidationError({"launched_on": _("Give the launch date.")})
    if plan_file is None:
        raise ValidationError({"plan_file": _("Attach the implementation plan.")})
    locked = list(
        CreatingUnit.objects.select_for_update().select_related("org_unit").filter(pk__in=[u.pk for u in units])
        .order_by("org_unit__code")
    )
    for unit in locked:
        try:
            transition_check(unit=unit, to=S.LAUNCHED, actor=actor, effective_on=launched_on)
        except ValidationError as exc:
            messages = exc.message_dict.get("effective_on") if hasattr(exc, "error_dict") else None
            if messages:
                raise ValidationError({"launched_on": messages}) from exc
            raise ValidationError({"units": exc.messages}) from exc
    upload_check(plan_file, field="plan_file")
    transitions = []
    for unit in locked:
        document = attachment_create(
            uploaded=plan_file, org_unit=unit.org_unit, actor=actor, obj=unit, role="implementation_plan",
            title=_("Implementation plan"), document_date=launched_on,
        )
        transitions.append(creating_unit_transition(unit=unit, to=S.LAUNCHED, actor=actor, effective_on=launched_on,
                                                    reason=reason, document=document))
    for transition in transitions:
        _notify_unit(transition)
    return transitions


@transaction.atomic
def enterprise_unit_register(*, district: OrgUnit, kind: str, name: str, actor, workforce: int | None,
                             population: int | None = None, address: str = "", contact_person: str = "",
                             contact_phone: str = "") -> CreatingUnit:
    """Register an enterprise-led community or an industrial park as a creating unit of `district`.

    It gets an org unit under the district with a generated code (500103E001, 500103P001);
    it follows the lifecycle but does not count against township quotas.
    """
    from safecommunity.orgunits.services import next_unit_code

    require_role(actor, Role.DISTRICT, Role.CITY)
    if district is None or district.level != OrgUnit.Level.DISTRICT:
        raise ValidationError({"district": _("Choose a district or county.")})
    require_scope(actor, district)
    if kind not in (CreatingUnit.Kind.ENTERPRISE, CreatingUnit.Kind.PARK):
        raise ValidationError({"kind": _("Choose enterprise-led community or industrial park.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the unit's name.")})
    if OrgUnit.objects.filter(parent=district, name=name).exists():
        raise ValidationError({"name": _("%(district)s already has a unit named %(name)s.")
                               % {"district": district, "name": name}})
    if not workforce or workforce <= 0:
        raise ValidationError({"workforce": _("Give the workforce (number of people working there).")})
    level = OrgUnit.Level.ENTERPRISE if kind == CreatingUnit.Kind.ENTERPRISE else OrgUnit.Level.PARK
    org_unit = OrgUnit(code=next_unit_code(district, kind), name=name, level=level, parent=district,
                       division_type=OrgUnit.DivisionType.OTHER)
    org_unit.full_clean()
    org_unit.save()
    unit = CreatingUnit(org_unit=org_unit, kind=kind, workforce=workforce, population=population,
                        address=address, contact_person=contact_person, contact_phone=contact_phone)
    unit.full_clean()
    unit.save()
    return unit


def title_expiry_reminders(*, today: date | None = None, within_days: int = 180) -> int:
    """Notify the city office, the district office and the unit of each title that expires within
    `within_days` or has expired (once per title and validity date). A daily job (tasks.py)."""
    from datetime import timedelta

    from safecommunity.accounts.models import User
    from safecommunity.core.services import notify

    from ..selectors import with_title

    today = today or timezone.localdate()
    units = with_title(CreatingUnit.objects.all()).filter(title_valid_until__lte=today + timedelta(days=within_days))
    city_users = list(User.objects.filter(role=Role.CITY, is_active=True))
    sent = 0
    for unit in units:
        district_id = unit.org_unit.parent_id
        users = city_users + list(User.objects.filter(is_active=True).filter(
            Q(role=Role.DISTRICT, org_unit_id=district_id) | Q(role=Role.UNIT, org_unit_id=unit.org_unit_id)))
        expired = unit.title_valid_until < today
        title = (_("The title of %(unit)s expired on %(date)s: re-evaluation is due.") if expired
                 else _("The title of %(unit)s expires on %(date)s: prepare the re-evaluation."))
        sent += notify(users=users, title=title % {"unit": unit, "date": unit.title_valid_until.isoformat()},
                       url=unit.get_absolute_url(), level="warning" if expired else "info",
                       key=f"creation:title:{unit.pk}:{unit.title_valid_until.isoformat()}:{'expired' if expired else 'soon'}")
    return sent
