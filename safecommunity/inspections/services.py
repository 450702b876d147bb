"""Writes of inspections: plans with their checklist and units, the on-site record (findings,
photos, follow-up items), follow-up closure, and the year-end analysis meeting."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.archive.services import attachment_create
from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import OrgUnit

from . import permissions
from .models import (
    ChecklistItem,
    Finding,
    FollowUpItem,
    FollowUpStatus,
    Inspection,
    InspectionPlan,
    YearEndReview,
)

__all__ = ["in_scope"]

OFFICE_ROLES = tuple(permissions.plan.roles)
UNIT_ROLES = tuple(permissions.review_write.roles)


@transaction.atomic
def plan_save(*, plan: InspectionPlan, actor, custom_items: list[str] | None = None,
              units: list[OrgUnit] | None = None, scheduled_on: date | None = None) -> InspectionPlan:
    """Save a plan; on creation its checklist is copied from the scheme's items, or `custom_items`;
    `units` get one inspection each, scheduled on `scheduled_on` (default the plan's first day)."""
    require_role(actor, *OFFICE_ROLES)
    require_scope(actor, plan.org_unit)
    creating = plan.pk is None
    if creating:
        plan.created_by = actor
    plan.full_clean()
    if creating and not plan.scheme_id and not [t for t in (custom_items or []) if t.strip()]:
        raise ValidationError({"custom_items": _("Choose a scoring scheme or type the checklist items.")})
    plan.save()
    if creating:
        if plan.scheme_id:
            ChecklistItem.objects.bulk_create([
                ChecklistItem(plan=plan, order=i, text=f"{it.heading}：{it.text}" if it.heading else it.text,
                              scheme_item=it)
                for i, it in enumerate(plan.scheme.items.order_by("number"), start=1)])
        else:
            ChecklistItem.objects.bulk_create([ChecklistItem(plan=plan, order=i, text=t.strip())
                                               for i, t in enumerate([t for t in custom_items if t.strip()], 1)])
    for unit in units or []:
        inspection_add(plan=plan, org_unit=unit, scheduled_on=scheduled_on or plan.starts_on, actor=actor)
    return plan


@transaction.atomic
def inspection_add(*, plan: InspectionPlan, org_unit: OrgUnit, scheduled_on: date, actor,
                   inspector: str = "") -> Inspection:
    require_role(actor, *OFFICE_ROLES)
    require_scope(actor, plan.org_unit)
    require_scope(actor, org_unit)
    if org_unit.level not in CREATING_LEVELS:
        raise ValidationError({"org_unit": _("Inspect a creating unit (a township/street, enterprise or park).")})
    if not org_unit.is_under(plan.org_unit):
        raise ValidationError({"org_unit": _("The unit lies outside the area of the office that plans.")})
    if Inspection.objects.filter(plan=plan, org_unit=org_unit).exists():
        raise ValidationError({"org_unit": _("This unit is already in the plan.")})
    inspection = Inspection(plan=plan, org_unit=org_unit, scheduled_on=scheduled_on, inspector=inspector,
                            created_by=actor)
    inspection.full_clean()
    inspection.save()
    return inspection


@dataclass
class ItemResult:
    item: ChecklistItem
    result: str
    note: str = ""
    due_on: date | None = None
    photos: list = field(default_factory=list)


@transaction.atomic
def inspection_record(*, inspection: Inspection, results: list[ItemResult], actor, inspected_on: date,
                      inspector: str = "", summary: str = "") -> Inspection:
    """The on-site record: a finding per checklist item (with photos); each problem becomes a
    follow-up item owned by the inspected unit, due on the date the inspector gives."""
    require_role(actor, *OFFICE_ROLES)
    require_scope(actor, inspection.org_unit)
    if inspection.status == Inspection.Status.RECORDED:
        raise ValidationError(_("This inspection is already recorded."))
    errors = {}
    for r in results:
        key = f"item_{r.item.pk}"
        if r.item.plan_id != inspection.plan_id:
            errors[key] = _("This item is not on the plan's checklist.")
        elif r.result not in Finding.Result.values:
            errors[key] = _("Item %(n)s: choose a result.") % {"n": r.item.order}
        elif r.result == Finding.Result.PROBLEM:
            if not r.note.strip():
                errors[key] = _("Item %(n)s: describe the problem found.") % {"n": r.item.order}
            elif r.due_on is None:
                errors[key] = _("Item %(n)s: give the deadline for putting it right.") % {"n": r.item.order}
            elif r.due_on < inspected_on:
                errors[key] = _("Item %(n)s: the deadline must not be before the inspection.") % {"n": r.item.order}
    if not results:
        errors["__all__"] = _("Record the result of at least one item.")
    if errors:
        raise ValidationError(errors)
    element = None
    for r in results:
        finding = Finding.objects.create(inspection=inspection, item=r.item, result=r.result, note=r.note.strip())
        for photo in r.photos:
            if element is None:
                element = CodeItem.objects.of("aqt_element").filter(code="E12").first()
            attachment_create(uploaded=photo, org_unit=inspection.org_unit, actor=actor, obj=finding, role="photo",
                              element=element)
        if r.result == Finding.Result.PROBLEM:
            item = FollowUpItem(org_unit=inspection.org_unit, finding=finding, task=r.note.strip()[:300],
                                due_on=r.due_on, created_by=actor)
            item.full_clean()
            item.save()
    inspection.status = Inspection.Status.RECORDED
    inspection.inspected_on = inspected_on
    inspection.inspector = inspector or inspection.inspector
    inspection.summary = summary
    inspection.full_clean()
    inspection.save(update_fields=["status", "inspected_on", "inspector", "summary", "updated_at"])
    _notify_unit(inspection)
    return inspection


def _notify_unit(inspection: Inspection) -> None:
    from django.contrib.auth import get_user_model

    from safecommunity.core.services import notify

    n = FollowUpItem.objects.filter(finding__inspection=inspection).count()
    if not n:
        return
    users = get_user_model().objects.filter(org_unit=inspection.org_unit, role=Role.UNIT, is_active=True)
    notify(users=users, title=_("%(n)s problems found at the inspection “%(plan)s” to put right")
           % {"n": n, "plan": inspection.plan.title}, url=inspection.get_absolute_url(),
           key=f"inspections.recorded.{inspection.pk}")


@transaction.atomic
def followup_close(*, item: FollowUpItem, actor, result: str, closed_on: date | None = None) -> FollowUpItem:
    require_role(actor, *permissions.close.roles)
    require_scope(actor, item.org_unit)
    if item.status == FollowUpStatus.CLOSED:
        raise ValidationError(_("This item is already closed."))
    if not result.strip():
        raise ValidationError({"result": _("Say what was done to put it right.")})
    item.status = FollowUpStatus.CLOSED
    item.result = result.strip()
    item.closed_on = closed_on or timezone.localdate()
    item.full_clean()
    item.save(update_fields=["status", "result", "closed_on", "updated_at"])
    return item


@transaction.atomic
def followup_reopen(*, item: FollowUpItem, actor, note: str = "") -> FollowUpItem:
    """An office that finds the fix insufficient reopens the item."""
    require_role(actor, *OFFICE_ROLES)
    require_scope(actor, item.org_unit)
    item.status = FollowUpStatus.OPEN
    item.closed_on = None
    if note:
        item.result = f"{item.result}\n{_('Reopened')}: {note}".strip()
    item.save(update_fields=["status", "closed_on", "result", "updated_at"])
    return item


@transaction.atomic
def review_save(*, review: YearEndReview, actor, follow_up_due_on: date | None = None) -> YearEndReview:
    """Save the year-end meeting; with `follow_up_due_on`, each line of its problems not yet tracked
    becomes a follow-up item of the unit due that day."""
    require_role(actor, *UNIT_ROLES)
    require_scope(actor, review.org_unit)
    if review.org_unit_id and review.org_unit.level not in CREATING_LEVELS:
        raise ValidationError({"org_unit": _("The year-end meeting is held by a creating unit.")})
    if review.pk is None:
        review.created_by = actor
    review.full_clean()
    review.save()
    if follow_up_due_on:
        tracked = set(review.follow_ups.values_list("task", flat=True))
        for line in review.problems.splitlines():
            line = line.strip()[:300]
            if line and line not in tracked:
                FollowUpItem.objects.create(org_unit=review.org_unit, review=review, task=line,
                                            due_on=follow_up_due_on, created_by=actor)
    return review
