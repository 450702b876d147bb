"""Every write of the creation app.

Every change of a creating unit's status goes through `creating_unit_transition`. The legal
moves are one explicit table; who may make each move is a second table; each move is a
CreationTransition row (who, when, why, document) — the step table. An illegal move raises
ValidationError with a clear message and changes nothing.
"""

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import CreatingUnit, Department, OrgUnit

from .choices import (
    DEFAULT_PERCENTAGE,
    MAIN_URBAN_CODES,
    NOTICE_TARGETS,
    TITLE_VALIDITY_YEARS,
    DistrictCategory,
    FollowUpStatus,
    LetterLevel,
)

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
    from .models import CreationTransition

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
    from safecommunity.archive.services import attachment_create, validate_upload

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
        try:
            validate_upload(uploaded)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
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
    from safecommunity.archive.services import attachment_create, validate_upload

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
    try:
        validate_upload(plan_file)
    except ValidationError as exc:
        raise ValidationError({"plan_file": exc.messages}) from exc
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


# --- Enterprise-led communities and parks -----------------------------------------------------


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


# --- Yearly plan -------------------------------------------------------------------------------


def default_targets(year: int) -> dict:
    """The notice's figures for 2010 and 2012; another year starts from the latest earlier plan."""
    from .models import PlanYear

    if year in NOTICE_TARGETS:
        return dict(NOTICE_TARGETS[year])
    previous = PlanYear.objects.filter(year__lt=year).order_by("-year").first()
    if previous is not None:
        return {f: getattr(previous, f) for f in ("targets_cumulative", "target_launched", "target_city",
                                                  "target_national", "target_international",
                                                  "target_international_max")}
    return dict(NOTICE_TARGETS[2012])


def default_category(district: OrgUnit) -> str:
    return DistrictCategory.MAIN_URBAN if district.code in MAIN_URBAN_CODES else DistrictCategory.OTHER


@transaction.atomic
def plan_year_open(*, year: int, actor, **targets):
    """Open a plan year: targets (the notice's defaults unless given) and one row per district.

    Each district keeps the category and percentage of the latest earlier plan (edits carry
    over); else the nine main urban districts are preset at 30%, the others at 20%.
    """
    from .models import DistrictPlan, PlanYear

    require_role(actor, Role.CITY)
    if PlanYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The plan for %(year)s is already open.") % {"year": year}})
    values = default_targets(year)
    values.update({k: v for k, v in targets.items() if v is not None or k == "target_international_max"})
    plan = PlanYear(year=year, created_by=actor, **values)
    plan.full_clean()
    if plan.target_international_max is not None and plan.target_international_max < plan.target_international:
        raise ValidationError({"target_international_max": _("The upper figure cannot be below the lower one.")})
    plan.save()
    previous = {
        row.org_unit_id: row
        for row in DistrictPlan.objects.filter(plan_year__year__lt=year).order_by("plan_year__year")
    }  # the latest earlier row of each district wins
    counts = dict(
        OrgUnit.objects.townships().filter(is_active=True).values("parent_id").annotate(n=Count("pk"))
        .values_list("parent_id", "n")
    )
    rows = []
    for district in OrgUnit.objects.districts().filter(is_active=True):
        before = previous.get(district.pk)
        category = before.category if before else default_category(district)
        percentage = before.percentage if before else DEFAULT_PERCENTAGE[category]
        rows.append(DistrictPlan(plan_year=plan, org_unit=district, category=category, percentage=percentage,
                                 township_count=counts.get(district.pk, 0), created_by=actor))
    for row in rows:  # one by one, so that the audit trail records each row
        row.save()
    return plan


TARGET_FIELDS = ("targets_cumulative", "target_launched", "target_city", "target_national", "target_international",
                 "target_international_max", "notes")


@transaction.atomic
def plan_year_update(*, plan, actor, **values):
    """Edit the city targets of a plan year."""
    require_role(actor, Role.CITY)
    plan = type(plan).objects.select_for_update().get(pk=plan.pk)
    for field, value in values.items():
        if field not in TARGET_FIELDS:
            raise ValidationError({field: _("This field cannot be changed.")})
        setattr(plan, field, value)
    plan.full_clean()
    if plan.target_international_max is not None and plan.target_international_max < plan.target_international:
        raise ValidationError({"target_international_max": _("The upper figure cannot be below the lower one.")})
    plan.save()
    return plan


@transaction.atomic
def district_plan_update(*, row, actor, category: str, percentage):
    """Change a district's category and percentage for the year; the quota follows."""
    require_role(actor, Role.CITY)
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if category not in DistrictCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    row.category = category
    row.percentage = percentage
    row.full_clean()
    row.save(update_fields=["category", "percentage", "updated_at"])
    return row


# --- Responsibility letters and the yearly assessment ---------------------------------------------


def _letter_level_check(*, actor, org_unit: OrgUnit, level: str) -> None:
    if level == LetterLevel.CITY_DISTRICT:
        require_role(actor, Role.CITY)
        if org_unit.level != OrgUnit.Level.DISTRICT:
            raise ValidationError({"org_unit": _("A city–district letter is signed with a district or county.")})
    elif level == LetterLevel.DISTRICT_UNIT:
        require_role(actor, Role.DISTRICT, Role.CITY)
        if not org_unit.is_creating_level:
            raise ValidationError({"org_unit": _("A district–unit letter is signed with a creating unit.")})
        require_scope(actor, org_unit)
    else:
        raise ValidationError({"level": _("Choose the level of the letter.")})


LETTER_FIELDS = ("target_launched", "target_designated", "targets", "upper_signatory", "lower_signatory",
                 "signed_on")


@transaction.atomic
def letter_save(*, actor, letter=None, year: int | None = None, level: str | None = None,
                org_unit: OrgUnit | None = None, uploaded=None, **values):
    """Create (no `letter`) or edit a responsibility letter, with its scanned file if uploaded."""
    from safecommunity.archive.services import attachment_create, validate_upload

    from .models import ResponsibilityLetter

    if letter is None:
        if org_unit is None:
            raise ValidationError({"org_unit": _("Choose the signing unit.")})
        _letter_level_check(actor=actor, org_unit=org_unit, level=level)
        letter = ResponsibilityLetter(year=year, level=level, org_unit=org_unit, created_by=actor)
    else:
        letter = ResponsibilityLetter.objects.select_for_update().select_related("org_unit").get(pk=letter.pk)
        _letter_level_check(actor=actor, org_unit=letter.org_unit, level=letter.level)
    for field, value in values.items():
        if field not in LETTER_FIELDS:
            raise ValidationError({field: _("This field cannot be changed.")})
        setattr(letter, field, value)
    if letter.signed_on and letter.signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    letter.full_clean(validate_unique=False, validate_constraints=False)
    if ResponsibilityLetter.objects.filter(year=letter.year, org_unit=letter.org_unit).exclude(pk=letter.pk).exists():
        raise ValidationError({"org_unit": _("%(unit)s already has a letter for %(year)s.")
                               % {"unit": letter.org_unit, "year": letter.year}})
    if uploaded is not None:
        try:
            validate_upload(uploaded)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
    letter.save()
    if uploaded is not None:
        letter.document = attachment_create(uploaded=uploaded, org_unit=letter.org_unit, actor=actor, obj=letter,
                                            role="responsibility_letter", title=str(letter),
                                            document_date=letter.signed_on)
        letter.save(update_fields=["document", "updated_at"])
    return letter


def district_actuals(*, district: OrgUnit, year: int) -> dict:
    """Units of the district launched and designated (Chongqing title) in `year`."""
    from .models import CreationTransition

    launched = CreatingUnit.objects.filter(org_unit__parent=district, launch_year=year).count()
    designated = (
        CreationTransition.objects.filter(creating_unit__org_unit__parent=district, to_status=S.CITY,
                                          effective_on__year=year)
        .values("creating_unit").distinct().count()
    )
    return {"actual_launched": launched, "actual_designated": designated}


@transaction.atomic
def assessment_save(*, actor, district: OrgUnit, year: int, score, remarks: str = "",
                    target_launched: int | None = None, target_designated: int | None = None):
    """Record (or update) the year-end assessment of a district.

    Targets default to the district's quota of the plan year and the designations of its
    responsibility letter; the actual figures are counted from the records.
    """
    from .models import DistrictAssessment, DistrictPlan, ResponsibilityLetter

    require_role(actor, Role.CITY)
    if district is None or district.level != OrgUnit.Level.DISTRICT:
        raise ValidationError({"org_unit": _("Choose a district or county.")})
    row = DistrictAssessment.objects.select_for_update().filter(year=year, org_unit=district).first()
    if row is None:
        row = DistrictAssessment(year=year, org_unit=district, created_by=actor)
    if target_launched is None:
        plan_row = DistrictPlan.objects.filter(plan_year__year=year, org_unit=district).first()
        letter = ResponsibilityLetter.objects.filter(year=year, org_unit=district).first()
        if letter and letter.target_launched is not None:
            target_launched = letter.target_launched
        else:
            target_launched = plan_row.quota if plan_row else 0
    if target_designated is None:
        letter = ResponsibilityLetter.objects.filter(year=year, org_unit=district).first()
        target_designated = (letter.target_designated or 0) if letter else 0
    row.target_launched = target_launched
    row.target_designated = target_designated
    for key, value in district_actuals(district=district, year=year).items():
        setattr(row, key, value)
    row.score = score
    row.remarks = remarks
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    return row


# --- Joint-meeting system -------------------------------------------------------------------------


def _meeting_scope_check(actor, org_unit: OrgUnit) -> None:
    require_role(actor, Role.CITY, Role.DISTRICT)
    if org_unit is None or org_unit.level not in (OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT):
        raise ValidationError({"org_unit": _("A joint meeting is run by the city or a district.")})
    require_scope(actor, org_unit)


@transaction.atomic
def member_save(*, actor, org_unit: OrgUnit, member=None, department: Department | None = None, name: str = "",
                is_lead: bool = False, contact_person: str = "", contact_phone: str = "", is_active: bool = True):
    from .models import JointMeetingMember

    if member is not None:
        member = JointMeetingMember.objects.select_for_update().select_related("org_unit").get(pk=member.pk)
        org_unit = member.org_unit
    _meeting_scope_check(actor, org_unit)
    name = (name or "").strip() or (department.full_name or department.name if department else "")
    if not name:
        raise ValidationError({"name": _("Choose a department or give the member unit's name.")})
    member = member or JointMeetingMember(org_unit=org_unit, created_by=actor)
    member.department, member.name, member.is_lead = department, name, is_lead
    member.contact_person, member.contact_phone, member.is_active = contact_person, contact_phone, is_active
    member.full_clean(validate_unique=False, validate_constraints=False)
    if JointMeetingMember.objects.filter(org_unit=org_unit, name=name).exclude(pk=member.pk).exists():
        raise ValidationError({"name": _("%(name)s is already a member.") % {"name": name}})
    member.save()
    return member


@transaction.atomic
def members_from_departments(*, actor, org_unit: OrgUnit) -> int:
    """Add every municipal department marked as a joint-meeting member (安监 leads). Idempotent."""
    from .models import JointMeetingMember

    _meeting_scope_check(actor, org_unit)
    if org_unit.level != OrgUnit.Level.CITY:
        raise ValidationError({"org_unit": _("Municipal departments are members of the city's joint meeting; "
                                             "add a district's member units by name.")})
    have = set(JointMeetingMember.objects.filter(org_unit=org_unit).values_list("department_id", flat=True))
    have_names = set(JointMeetingMember.objects.filter(org_unit=org_unit).values_list("name", flat=True))
    created = 0
    for dept in Department.objects.filter(is_joint_meeting_member=True):
        name = dept.full_name or dept.name
        if dept.pk in have or name in have_names:
            continue
        JointMeetingMember.objects.create(org_unit=org_unit, department=dept, name=name, is_lead=dept.code == "AJ",
                                          created_by=actor)
        created += 1
    return created


@transaction.atomic
def meeting_save(*, actor, org_unit: OrgUnit, title: str, held_on: date, meeting=None, location: str = "",
                 chair: str = "", attendees=(), other_attendees: str = "", summary: str = "", decisions=None,
                 uploaded=None):
    """Create or edit a joint meeting; `decisions` (a list of texts) replaces the decision list
    when given (decisions that already have follow-up items are kept)."""
    from safecommunity.archive.services import attachment_create, validate_upload

    from .models import JointMeeting, MeetingDecision

    if meeting is not None:
        meeting = JointMeeting.objects.select_for_update().select_related("org_unit").get(pk=meeting.pk)
        org_unit = meeting.org_unit
    _meeting_scope_check(actor, org_unit)
    if held_on and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date cannot be in the future.")})
    attendees = list(attendees)
    for member in attendees:
        if member.org_unit_id != org_unit.pk:
            raise ValidationError({"attendees": _("%(name)s is not a member of this joint meeting.")
                                   % {"name": member}})
    meeting = meeting or JointMeeting(org_unit=org_unit, created_by=actor)
    meeting.title, meeting.held_on, meeting.location, meeting.chair = (title or "").strip(), held_on, location, chair
    meeting.other_attendees, meeting.summary = other_attendees, summary
    meeting.full_clean()
    if uploaded is not None:
        try:
            validate_upload(uploaded)
        except ValidationError as exc:
            raise ValidationError({"minutes_file": exc.messages}) from exc
    meeting.save()
    meeting.attendees.set(attendees)
    if decisions is not None:
        texts = [t.strip() for t in decisions if t and t.strip()]
        kept = {d.number: d for d in meeting.decisions.all()}
        for number, text in enumerate(texts, start=1):
            existing = kept.pop(number, None)
            if existing is None:
                MeetingDecision.objects.create(meeting=meeting, number=number, text=text)
            elif existing.text != text:
                existing.text = text
                existing.save(update_fields=["text"])
        for number, decision in kept.items():
            if decision.follow_ups.exists():
                raise ValidationError({"decisions": _("Decision %(n)s has follow-up items and cannot be removed.")
                                       % {"n": number}})
            decision.delete()
    if uploaded is not None:
        meeting.minutes = attachment_create(uploaded=uploaded, org_unit=org_unit, actor=actor, obj=meeting,
                                            role="meeting_minutes", title=meeting.title, document_date=held_on)
        meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


@transaction.atomic
def follow_up_create(*, actor, decision, task: str, due_on: date, owner=None, owner_text: str = ""):
    from .models import FollowUp

    _meeting_scope_check(actor, decision.meeting.org_unit)
    if owner is not None and owner.org_unit_id != decision.meeting.org_unit_id:
        raise ValidationError({"owner": _("%(name)s is not a member of this joint meeting.") % {"name": owner}})
    if owner is None and not (owner_text or "").strip():
        raise ValidationError({"owner": _("Choose the member unit responsible, or name it.")})
    item = FollowUp(decision=decision, task=(task or "").strip(), due_on=due_on, owner=owner,
                    owner_text=(owner_text or "").strip(), created_by=actor)
    item.full_clean()
    item.save()
    if owner is not None and owner.department_id:
        from safecommunity.accounts.models import User
        from safecommunity.core.services import notify

        notify(users=User.objects.filter(role=Role.DEPARTMENT, department_id=owner.department_id, is_active=True),
               title=_("Follow-up item for you: %(task)s") % {"task": item.task},
               body=_("Due on %(date)s. Decision: %(decision)s") % {"date": due_on.isoformat(), "decision": decision.text},
               url="/creation/follow-ups/", key=f"creation:followup:{item.pk}")
    return item


def follow_up_can_close(actor, item) -> bool:
    """The meeting's office, or the owning department's users."""
    if actor.is_superuser:
        return True
    if actor.role == Role.DEPARTMENT:
        return bool(item.owner_id and actor.department_id and item.owner.department_id == actor.department_id)
    return actor.role in (Role.CITY, Role.DISTRICT) and in_scope(actor, item.decision.meeting.org_unit)


@transaction.atomic
def follow_up_complete(*, actor, item, result: str, done_on: date | None = None):
    """Mark a follow-up item done, with what was done."""
    from .models import FollowUp

    item = FollowUp.objects.select_for_update().get(pk=item.pk)  # no outer join under FOR UPDATE (PostgreSQL)
    if not follow_up_can_close(actor, item):
        raise PermissionDenied(_("Your role may not do this."))
    if item.status == FollowUpStatus.DONE:
        raise ValidationError(pgettext("follow-up", "This item is already done."))
    if not (result or "").strip():
        raise ValidationError({"result": _("Say what was done.")})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    item.status, item.result, item.done_on = FollowUpStatus.DONE, result.strip(), done_on
    item.save(update_fields=["status", "result", "done_on", "updated_at"])
    return item


@transaction.atomic
def follow_up_reopen(*, actor, item):
    from .models import FollowUp

    item = FollowUp.objects.select_for_update().get(pk=item.pk)  # no outer join under FOR UPDATE (PostgreSQL)
    _meeting_scope_check(actor, item.decision.meeting.org_unit)
    if item.status != FollowUpStatus.DONE:
        raise ValidationError(_("This item is still open."))
    item.status, item.done_on = FollowUpStatus.OPEN, None
    item.save(update_fields=["status", "done_on", "updated_at"])
    return item



# --- Title validity -----------------------------------------------------------------------------------


def title_expiry_reminders(*, today: date | None = None, within_days: int = 180) -> int:
    """Notify the city office, the district office and the unit of each title that expires within
    `within_days` or has expired (once per title and validity date). A daily job (tasks.py)."""
    from datetime import timedelta

    from safecommunity.accounts.models import User
    from safecommunity.core.services import notify

    from .selectors import with_title

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
