"""Every write of the hazards app. The hazard loop is one explicit transitions table and one
step table; each step records who, when, the note, measures and cost. Errors raise
ValidationError (naming the field) or PermissionDenied and write nothing."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.models import User
from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.archive.models import Attachment
from safecommunity.archive.services import (
    KIND_BY_EXTENSION,
    attachment_create,
    file_extension,
    validate_upload,
)
from safecommunity.core.roles import CITY_ONLY, OFFICES, OFFICES_AND_UNITS, WITH_DEPARTMENTS, Role
from safecommunity.core.scoping import is_within, path_codes, within_q
from safecommunity.core.services import notify, submission_record, submission_seen
from safecommunity.core.validators import check_dates

from .choices import PHOTO_AFTER, PHOTO_BEFORE, Action, Grade, RegisterKind, Status
from .models import GradeDeadline, Hazard, HazardStep, RiskEntry, local_today

S = Status

# The loop: reported → assigned → rectifying → awaiting acceptance → closed (销号),
# with "returned" from acceptance back to rectifying. Nothing else.
TRANSITIONS: dict[str, set[str]] = {
    S.REPORTED: {S.ASSIGNED},
    S.ASSIGNED: {S.RECTIFYING},
    S.RECTIFYING: {S.AWAITING},
    S.AWAITING: {S.CLOSED, S.RECTIFYING},
    S.CLOSED: set(),
}

# The step table: each workflow action, the move it makes and the roles that may make it.
STEPS: dict[str, tuple[str, str, frozenset]] = {
    Action.ASSIGN: (S.REPORTED, S.ASSIGNED, OFFICES),
    Action.START: (S.ASSIGNED, S.RECTIFYING, WITH_DEPARTMENTS),
    Action.SUBMIT: (S.RECTIFYING, S.AWAITING, WITH_DEPARTMENTS),
    Action.ACCEPT: (S.AWAITING, S.CLOSED, OFFICES | {Role.DEPARTMENT}),  # the unit does not accept its own fix
    Action.RETURN: (S.AWAITING, S.RECTIFYING, OFFICES | {Role.DEPARTMENT}),
}
assert all(to in TRANSITIONS[frm] for frm, to, _r in STEPS.values())

REPORT_ROLES = OFFICES_AND_UNITS
REGISTER_ROLES = OFFICES_AND_UNITS
DEADLINE_ROLES = OFFICES


def default_deadline(grade: str, start: date | None = None) -> date:
    row = GradeDeadline.objects.filter(grade=grade).first()
    days = row.days if row else (90 if grade == Grade.MAJOR else 15)
    return (start or local_today()) + timedelta(days=days)


# --- who may act ---------------------------------------------------------------------------

def _is_own_unit(actor, hazard: Hazard) -> bool:
    """Whether `actor` is a unit user of the hazard's unit or of its responsible unit."""
    if actor.role != Role.UNIT:
        return False
    units = [hazard.org_unit] + ([hazard.responsible_unit] if hazard.responsible_unit_id else [])
    return any(in_scope(actor, u) for u in units)


def may_act(actor, hazard: Hazard, action: str) -> bool:
    """Role and scope for one workflow action (the status is checked separately)."""
    if action in STEPS:
        roles = STEPS[action][2]
    elif action in (Action.DEADLINE,):
        roles = DEADLINE_ROLES
    elif action == Action.SUPERVISE:
        roles = CITY_ONLY
    else:
        roles = frozenset(Role.values)
    if not actor.is_authenticated or not (actor.is_superuser or actor.role in roles):
        return False
    if actor.is_superuser or actor.role == Role.CITY:
        return True
    if actor.role == Role.DEPARTMENT:
        return bool(actor.department_id) and hazard.department_id == actor.department_id
    if actor.role == Role.DISTRICT:
        return in_scope(actor, hazard.org_unit)
    if actor.role == Role.UNIT:
        if action in (Action.START, Action.SUBMIT):
            return bool(hazard.responsible_unit_id) and in_scope(actor, hazard.responsible_unit)
        return _is_own_unit(actor, hazard)
    return False


def _submitted_by(actor, hazard: Hazard) -> bool:
    last = hazard.steps.filter(action=Action.SUBMIT).order_by("-at", "-pk").first()
    return last is not None and last.actor_id == actor.pk


def allowed_actions(actor, hazard: Hazard) -> list[str]:
    """The workflow actions `actor` may take on `hazard` now (for buttons and the API)."""
    actions = [a for a, (frm, _to, _r) in STEPS.items() if hazard.status == frm and may_act(actor, hazard, a)]
    if Action.ACCEPT in actions and _submitted_by(actor, hazard):
        actions.remove(Action.ACCEPT)
    if hazard.status in (S.ASSIGNED, S.RECTIFYING, S.AWAITING) and may_act(actor, hazard, Action.DEADLINE):
        actions.append(Action.DEADLINE)
    if (hazard.grade == Grade.MAJOR and hazard.status != S.CLOSED and not hazard.is_supervised
            and may_act(actor, hazard, Action.SUPERVISE)):
        actions.append(Action.SUPERVISE)
    return actions


def _require_act(actor, hazard: Hazard, action: str) -> None:
    if action == Action.ACCEPT and _is_own_unit(actor, hazard):
        raise PermissionDenied(_("A unit cannot accept its own hazard; the district, the city or the "
                                 "supervising department accepts it."))
    if not may_act(actor, hazard, action):
        raise PermissionDenied(_("You may not “%(action)s” this hazard.") % {"action": Action(action).label})
    if action == Action.ACCEPT and _submitted_by(actor, hazard):
        raise PermissionDenied(_("You submitted this rectification; someone else accepts it."))


# --- recipients ----------------------------------------------------------------------------

def _active(qs):
    return qs.filter(is_active=True)


def district_users(hazard: Hazard):
    district = hazard.org_unit.district
    return list(_active(User.objects.filter(role=Role.DISTRICT, org_unit=district))) if district else []


def responsible_users(hazard: Hazard):
    unit = hazard.responsible_unit or hazard.org_unit
    return list(_active(User.objects.filter(within_q("org_unit", unit), role=Role.UNIT)))


def department_users(hazard: Hazard):
    if not hazard.department_id:
        return []
    return list(_active(User.objects.filter(role=Role.DEPARTMENT, department_id=hazard.department_id)))


def city_users():
    return list(_active(User.objects.filter(role=Role.CITY)))


def _url(hazard: Hazard) -> str:
    return reverse("hazards:hazard_detail", args=[hazard.pk])


# --- photos --------------------------------------------------------------------------------

def _check_photos(photos, field: str) -> list:
    photos = [p for p in (photos or []) if p]
    for p in photos:
        try:
            validate_upload(p)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from exc
        if KIND_BY_EXTENSION.get(file_extension(p.name)) != Attachment.Kind.PHOTO:
            raise ValidationError({field: _("%(name)s is not a photo.") % {"name": p.name}})
    return photos


def _store_photos(hazard: Hazard, photos, role: str, actor) -> list[Attachment]:
    return [attachment_create(uploaded=p, org_unit=hazard.org_unit, actor=actor, obj=hazard, role=role,
                              title=p.name) for p in photos]


def hazard_photos(hazard: Hazard, role: str | None = None):
    qs = Attachment.objects.for_object(hazard)
    return qs.filter(role=role) if role else qs


def _coord(value):
    """Latitude/longitude as a Decimal (a float from a client becomes its shortest decimal)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({"latitude": _("Enter the map point as decimal degrees.")}) from exc


# --- hazard writes -------------------------------------------------------------------------

def _clean_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def hazard_report(*, actor, org_unit, address: str, safety_area, description: str, grade: str, finder: str,
                  found_on: date | None = None, latitude: Decimal | None = None, longitude: Decimal | None = None,
                  photos=None, idempotency_key: str = "") -> Hazard:
    """Register a hazard found in `org_unit` (a creating unit in the actor's scope).
    With `idempotency_key` (one per submission, made by the phone), sending the same
    submission again returns the hazard the first sending stored and stores nothing."""
    require_role(actor, *REPORT_ROLES)
    earlier = submission_seen(key=idempotency_key, actor=actor, model=Hazard)
    if earlier is not None:
        return earlier
    if org_unit is None:
        raise ValidationError({"org_unit": _("Choose the unit where the hazard is.")})
    require_scope(actor, org_unit)
    if not org_unit.is_creating_level:
        raise ValidationError({"org_unit": _("Choose a township, street, enterprise or park, not %(unit)s.")
                               % {"unit": org_unit}})
    photos = _check_photos(photos, "photos")
    hazard = Hazard(
        org_unit=org_unit, address=(address or "").strip(), safety_area=safety_area,
        description=(description or "").strip(), grade=grade, finder=(finder or "").strip(),
        found_on=found_on or local_today(), latitude=_coord(latitude), longitude=_coord(longitude),
        created_by=actor,
    )
    hazard.full_clean()
    hazard.save()
    step = HazardStep.objects.create(hazard=hazard, action=Action.REPORT, to_status=S.REPORTED, actor=actor,
                                     note=hazard.description)
    step.photos.set(_store_photos(hazard, photos, PHOTO_BEFORE, actor))
    submission_record(key=idempotency_key, actor=actor, obj=hazard)
    notify(users=district_users(hazard), title=_("New hazard reported: %(h)s") % {"h": hazard},
           url=_url(hazard), key=f"hazard-reported:{hazard.pk}")
    return hazard


def _lock(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_for_update(of=("self",)).select_related(
        "org_unit", "responsible_unit", "department").get(pk=hazard.pk)


def _move(*, hazard: Hazard, action: str, actor, note="", measures="", cost=None, fields=()) -> Hazard:
    frm, to, _roles = STEPS[action]
    if hazard.status != frm:
        if to == S.CLOSED:
            raise ValidationError(_("A hazard can only be closed after acceptance: it is “%(current)s”; submit "
                                    "it for acceptance first.") % {"current": S(hazard.status).label})
        raise ValidationError(_("The hazard is “%(current)s”; it cannot “%(action)s”.")
                              % {"current": S(hazard.status).label, "action": Action(action).label})
    assert to in TRANSITIONS[frm]
    step = HazardStep.objects.create(hazard=hazard, action=action, from_status=frm, to_status=to, actor=actor,
                                     note=note, measures=measures, cost=cost)
    hazard.status = to
    hazard.save(update_fields=["status", "updated_at", *fields])
    hazard._last_step = step
    return hazard


@transaction.atomic
def hazard_transition(*, hazard: Hazard, to: str, actor, note: str = "", **kwargs) -> Hazard:
    """Move a hazard to status `to` by the one step that leads there from its status."""
    hazard = _lock(hazard)
    if to not in S.values:
        raise ValidationError({"to": _("Unknown status: %(s)s.") % {"s": to}})
    for action, (frm, target, _r) in STEPS.items():
        if frm == hazard.status and target == to:
            return STEP_FUNCTIONS[action](hazard=hazard, actor=actor, note=note, **kwargs)
    if to == S.CLOSED:
        raise ValidationError(_("A hazard can only be closed after acceptance: it is “%(current)s”; submit it "
                                "for acceptance first.") % {"current": S(hazard.status).label})
    raise ValidationError(_("The hazard is “%(current)s”; it cannot become “%(target)s”.")
                          % {"current": S(hazard.status).label, "target": S(to).label})


@transaction.atomic
def hazard_assign(*, hazard: Hazard, actor, responsible_unit, department=None, deadline: date | None = None,
                  responsible_party: str = "", note: str = "") -> Hazard:
    """District or city: name the responsible unit (and enterprise), the supervising department
    and the deadline (default: the grade's period from today)."""
    hazard = _lock(hazard)
    _require_act(actor, hazard, Action.ASSIGN)
    if responsible_unit is None:
        raise ValidationError({"responsible_unit": _("Choose the responsible unit.")})
    district = hazard.org_unit.district
    if (not in_scope(actor, responsible_unit) or not responsible_unit.is_creating_level
            or (district and not is_within(responsible_unit, district))):
        raise ValidationError({"responsible_unit": _("%(unit)s is outside your area of responsibility or the "
                                                     "hazard's district; choose a unit there.")
                               % {"unit": responsible_unit}})
    deadline = deadline or default_deadline(hazard.grade)
    if deadline < local_today():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    check_dates(deadline=deadline)
    hazard.responsible_unit = responsible_unit
    hazard.responsible_party = (responsible_party or "").strip()[:100]
    hazard.department = department
    hazard.deadline = deadline
    hazard.assigned_at = timezone.now()
    _move(hazard=hazard, action=Action.ASSIGN, actor=actor, note=note.strip(),
          fields=["responsible_unit", "responsible_party", "department", "deadline", "assigned_at"])
    title = _("Hazard assigned to you, to rectify by %(d)s: %(h)s") % {"d": deadline, "h": hazard}
    notify(users=responsible_users(hazard), title=title, url=_url(hazard), key=f"hazard-assigned:{hazard.pk}")
    notify(users=department_users(hazard), title=_("Hazard under your supervision: %(h)s") % {"h": hazard},
           url=_url(hazard), key=f"hazard-assigned:{hazard.pk}:dept:{hazard.department_id}")
    return hazard


@transaction.atomic
def hazard_start(*, hazard: Hazard, actor, note: str = "") -> Hazard:
    hazard = _lock(hazard)
    _require_act(actor, hazard, Action.START)
    return _move(hazard=hazard, action=Action.START, actor=actor, note=note.strip())


@transaction.atomic
def hazard_submit(*, hazard: Hazard, actor, measures: str, cost: Decimal | None = None, photos=None,
                  note: str = "") -> Hazard:
    """The responsible party reports the rectification done: measures, cost and photos after
    (new photos with every submission, kept on the step)."""
    hazard = _lock(hazard)
    _require_act(actor, hazard, Action.SUBMIT)
    measures = _clean_text(measures, "measures", _("Describe the measures taken."))
    if cost is not None and cost < 0:
        raise ValidationError({"cost": _("The cost cannot be negative.")})
    photos = _check_photos(photos, "photos")
    if hazard.status == S.RECTIFYING and not photos:
        raise ValidationError({"photos": _("Upload at least one photo taken after rectification.")})
    hazard.measures, hazard.cost = measures, cost
    _move(hazard=hazard, action=Action.SUBMIT, actor=actor, note=note.strip(), measures=measures, cost=cost,
          fields=["measures", "cost"])
    hazard._last_step.photos.set(_store_photos(hazard, photos, PHOTO_AFTER, actor))
    users = district_users(hazard) + department_users(hazard)
    n = hazard.steps.filter(action=Action.SUBMIT).count()
    notify(users=users, title=_("Hazard rectified, awaiting your acceptance: %(h)s") % {"h": hazard},
           url=_url(hazard), key=f"hazard-submitted:{hazard.pk}:{n}")
    return hazard


@transaction.atomic
def hazard_accept(*, hazard: Hazard, actor, note: str = "") -> Hazard:
    """Acceptance and 销号. Not by the unit itself; only with photos after rectification."""
    hazard = _lock(hazard)
    _require_act(actor, hazard, Action.ACCEPT)
    if hazard.status == S.AWAITING and not hazard_photos(hazard, PHOTO_AFTER).exists():
        raise ValidationError({"photos": _("The hazard cannot be closed without photos after rectification.")})
    hazard.closed_at = timezone.now()
    hazard.closed_on = local_today(hazard.closed_at)
    _move(hazard=hazard, action=Action.ACCEPT, actor=actor, note=note.strip(), fields=["closed_at", "closed_on"])
    notify(users=responsible_users(hazard) + department_users(hazard),
           title=_("Hazard accepted and closed: %(h)s") % {"h": hazard}, url=_url(hazard),
           key=f"hazard-closed:{hazard.pk}")
    return hazard


@transaction.atomic
def hazard_return(*, hazard: Hazard, actor, note: str) -> Hazard:
    """Acceptance failed: back to rectifying, with the reason."""
    hazard = _lock(hazard)
    _require_act(actor, hazard, Action.RETURN)
    note = _clean_text(note, "note", _("Give the reason for returning."))
    _move(hazard=hazard, action=Action.RETURN, actor=actor, note=note)
    n = hazard.steps.filter(action=Action.RETURN).count()
    notify(users=responsible_users(hazard), title=_("Hazard returned for rectification: %(h)s") % {"h": hazard},
           body=note, url=_url(hazard), level="warning", key=f"hazard-returned:{hazard.pk}:{n}")
    return hazard


STEP_FUNCTIONS = {
    Action.ASSIGN: hazard_assign,
    Action.START: hazard_start,
    Action.SUBMIT: hazard_submit,
    Action.ACCEPT: hazard_accept,
    Action.RETURN: hazard_return,
}


@transaction.atomic
def hazard_set_deadline(*, hazard: Hazard, actor, deadline: date, note: str) -> Hazard:
    """District or city extends (or shortens) the deadline, with the reason."""
    hazard = _lock(hazard)
    _require_act(actor, hazard, Action.DEADLINE)
    if hazard.status not in (S.ASSIGNED, S.RECTIFYING, S.AWAITING):
        raise ValidationError(_("The deadline can only change while the hazard is being rectified."))
    if deadline is None:
        raise ValidationError({"deadline": _("Give the new deadline.")})
    if deadline < local_today():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    check_dates(deadline=deadline)
    note = _clean_text(note, "note", _("Give the reason for changing the deadline."))
    HazardStep.objects.create(hazard=hazard, action=Action.DEADLINE, from_status=hazard.status,
                              to_status=hazard.status, actor=actor, note=f"{hazard.deadline} → {deadline}: {note}")
    hazard.deadline = deadline
    hazard.save(update_fields=["deadline", "updated_at"])
    notify(users=responsible_users(hazard) + department_users(hazard),
           title=_("Rectification deadline changed to %(d)s: %(h)s") % {"d": deadline, "h": hazard}, body=note,
           url=_url(hazard), key=f"hazard-deadline:{hazard.pk}:{deadline.isoformat()}")
    return hazard


@transaction.atomic
def hazard_supervise(*, hazard: Hazard, actor, supervisor: str, note: str = "") -> Hazard:
    """挂牌督办: the city lists a major hazard with a named supervisor until it is closed."""
    hazard = _lock(hazard)
    _require_act(actor, hazard, Action.SUPERVISE)
    if hazard.grade != Grade.MAJOR:
        raise ValidationError(_("Only major hazards are put under supervision."))
    if hazard.status == S.CLOSED:
        raise ValidationError(_("The hazard is already closed."))
    if hazard.is_supervised:
        raise ValidationError(_("The hazard is already under supervision."))
    supervisor = _clean_text(supervisor, "supervisor", _("Name the supervisor."))[:50]
    hazard.is_supervised, hazard.supervisor, hazard.supervised_at = True, supervisor, timezone.now()
    hazard.save(update_fields=["is_supervised", "supervisor", "supervised_at", "updated_at"])
    HazardStep.objects.create(hazard=hazard, action=Action.SUPERVISE, from_status=hazard.status,
                              to_status=hazard.status, actor=actor, note=f"{supervisor} {note}".strip())
    notify(users=district_users(hazard) + responsible_users(hazard) + department_users(hazard),
           title=_("Major hazard put under city supervision: %(h)s") % {"h": hazard}, url=_url(hazard),
           level="warning", key=f"hazard-supervised:{hazard.pk}")
    return hazard


@transaction.atomic
def hazard_comment(*, hazard: Hazard, actor, note: str) -> HazardStep:
    """Anyone who sees the hazard (a department in its domain too) may comment on it."""
    if not Hazard.objects.visible_to(actor).filter(pk=hazard.pk).exists():
        raise PermissionDenied(_("This hazard is outside your area of responsibility."))
    note = _clean_text(note, "note", _("Write the comment."))
    return HazardStep.objects.create(hazard=hazard, action=Action.COMMENT, from_status=hazard.status,
                                     to_status=hazard.status, actor=actor, note=note)


# --- deadlines and escalation --------------------------------------------------------------

class _Recipients:
    """Who hears of a hazard, cached per district, unit and department for a batch job."""

    def __init__(self):
        self.district, self.unit, self.department = {}, {}, {}
        self.unit_users_by_path: dict[str, list] = {}
        for user in _active(User.objects.filter(role=Role.UNIT, org_unit__isnull=False).select_related("org_unit")):
            self.unit_users_by_path.setdefault(user.org_unit.path, []).append(user)

    def __call__(self, hazard: Hazard) -> list:
        codes = path_codes(hazard.org_unit)
        district = codes[1] if len(codes) > 1 else ""
        if district not in self.district:
            self.district[district] = list(_active(User.objects.filter(role=Role.DISTRICT, org_unit__code=district)))
        unit = hazard.responsible_unit or hazard.org_unit
        if unit.pk not in self.unit:
            self.unit[unit.pk] = [u for place, users in self.unit_users_by_path.items() if is_within(place, unit)
                                  for u in users]
        users = self.unit[unit.pk] + self.district[district]
        if hazard.department_id:
            if hazard.department_id not in self.department:
                self.department[hazard.department_id] = list(_active(User.objects.filter(
                    role=Role.DEPARTMENT, department_id=hazard.department_id)))
            users = users + self.department[hazard.department_id]
        return users


def hazards_overdue_notify(*, today: date | None = None, batch: int = 500) -> dict:
    """The daily job: find open hazards past their deadline and tell the responsible party,
    the district and the department — once per hazard and deadline (a new deadline that
    passes again notifies again) — and note "became overdue" on the hazard's record once.
    Returns {"overdue": n, "notified": m}."""
    today = today or local_today()
    overdue = (Hazard.objects.overdue(today).select_related("org_unit", "responsible_unit", "department")
               .order_by("pk"))
    recipients = _Recipients()
    count = notified = 0
    last_pk = 0
    while True:
        hazards = list(overdue.filter(pk__gt=last_pk)[:batch])
        if not hazards:
            break
        last_pk = hazards[-1].pk
        count += len(hazards)
        notified += _overdue_batch(hazards, today, recipients)
    return {"overdue": count, "notified": notified}


@transaction.atomic
def _overdue_batch(hazards: list, today: date, recipients: _Recipients) -> int:
    """One batch of the daily job, in one transaction."""
    from safecommunity.core.models import Notification

    notified = 0
    keys = {h.pk: f"hazard-overdue:{h.pk}:{h.deadline.isoformat()}" for h in hazards}
    sent = set(Notification.objects.filter(key__in=keys.values()).values_list("user_id", "key"))
    marked = set(HazardStep.objects.filter(hazard__in=[h.pk for h in hazards], action=Action.OVERDUE)
                 .values_list("hazard_id", "note"))
    new_steps = []
    for hazard in hazards:
        key = keys[hazard.pk]
        users = [u for u in recipients(hazard) if (u.pk, key) not in sent]
        if users:
            days = (today - hazard.deadline).days
            title = _("Hazard overdue by %(n)d days (deadline %(d)s): %(h)s") % {
                "n": days, "d": hazard.deadline, "h": hazard}
            notified += notify(users=users, title=title, url=_url(hazard), level="danger", key=key)
        mark = hazard.deadline.isoformat()
        if (hazard.pk, mark) not in marked:
            new_steps.append(HazardStep(hazard=hazard, action=Action.OVERDUE, from_status=hazard.status,
                                        to_status=hazard.status, actor=None, note=mark))
    # bulk_create is not audited row by row; these rows are the job's own record.
    HazardStep.objects.bulk_create(new_steps)
    return notified


# --- risk registers ------------------------------------------------------------------------

RISK_FIELDS = ["name", "description", "safety_area", "risk_level", "count", "address", "latitude", "longitude",
               "department", "measures", "last_reviewed_on"]


@transaction.atomic
def risk_entry_save(*, actor, entry: RiskEntry | None = None, org_unit, kind: str, **data) -> RiskEntry:
    """Create or update a register entry of a creating unit in the actor's scope."""
    require_role(actor, *REGISTER_ROLES)
    if org_unit is None:
        raise ValidationError({"org_unit": _("Choose the creating unit.")})
    require_scope(actor, org_unit)
    if entry is not None:
        require_scope(actor, entry.org_unit)
    if not org_unit.is_creating_level:
        raise ValidationError({"org_unit": _("Choose a township, street, enterprise or park, not %(unit)s.")
                               % {"unit": org_unit}})
    if kind not in RegisterKind.values:
        raise ValidationError({"kind": _("Unknown register: %(k)s.") % {"k": kind}})
    entry = entry or RiskEntry(created_by=actor)
    entry.org_unit, entry.kind = org_unit, kind
    for field in RISK_FIELDS:
        if field in data:
            setattr(entry, field, _coord(data[field]) if field in ("latitude", "longitude") else data[field])
    if isinstance(entry.name, str):
        entry.name = entry.name.strip()
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def risk_entry_delete(*, actor, entry: RiskEntry) -> None:
    require_role(actor, *REGISTER_ROLES)
    require_scope(actor, entry.org_unit)
    entry.delete()


@transaction.atomic
def grade_deadline_set(*, actor, grade: str, days: int) -> GradeDeadline:
    require_role(actor, Role.CITY)
    row, _created = GradeDeadline.objects.get_or_create(grade=grade, defaults={"days": days})
    row.days = days
    row.full_clean()
    row.save(update_fields=["days"])
    return row
