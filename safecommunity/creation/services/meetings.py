"""The joint-meeting system: member units, meetings with their decisions and minutes, and the
follow-up items of each decision."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import Department, OrgUnit

from ..choices import FollowUpStatus
from .lifecycle import upload_check


def _meeting_scope_check(actor, org_unit: OrgUnit) -> None:
    require_role(actor, Role.CITY, Role.DISTRICT)
    if org_unit is None or org_unit.level not in (OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT):
        raise ValidationError({"org_unit": _("A joint meeting is run by the city or a district.")})
    require_scope(actor, org_unit)


@transaction.atomic
def member_save(*, actor, org_unit: OrgUnit, member=None, department: Department | None = None, name: str = "",
                is_lead: bool = False, contact_person: str = "", contact_phone: str = "", is_active: bool = True):
    from ..models import JointMeetingMember

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
    from ..models import JointMeetingMember

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
    from safecommunity.archive.services import attachment_create

    from ..models import JointMeeting, MeetingDecision

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
        upload_check(uploaded, field="minutes_file")
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
    from ..models import FollowUp

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
    from ..models import FollowUp

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
    from ..models import FollowUp

    item = FollowUp.objects.select_for_update().get(pk=item.pk)  # no outer join under FOR UPDATE (PostgreSQL)
    _meeting_scope_check(actor, item.decision.meeting.org_unit)
    if item.status != FollowUpStatus.DONE:
        raise ValidationError(_("This item is still open."))
    item.status, item.done_on = FollowUpStatus.OPEN, None
    item.save(update_fields=["status", "done_on", "updated_at"])
    return item
