"""The 待办 of inspections: a unit's open follow-up items (findings to put right), and for an
office the inspections it planned that are not yet recorded."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.roles import Role
from safecommunity.core.todos import Todo

from .models import FollowUpItem, FollowUpStatus, Inspection

# Every model whose table todos() reads: its items stay cached until one of them changes.
DEPENDS_ON = (
    "inspections.FollowUpItem",
    "inspections.Inspection",
    "inspections.InspectionPlan",
    "orgunits.OrgUnit",
)


def todos(user) -> list[Todo]:
    today = timezone.localdate()
    out = []
    if user.role == Role.UNIT:
        for item in (FollowUpItem.objects.visible_to(user).filter(status=FollowUpStatus.OPEN)
                     .order_by("due_on", "pk")[:200]):
            out.append(Todo(kind=_("Inspection finding to put right"), title=item.task, url=item.get_absolute_url(),
                            deadline=item.due_on, overdue=item.due_on < today, key=f"inspections.followup.{item.pk}"))
    elif user.role in (Role.DISTRICT, Role.CITY):
        for i in (Inspection.objects.visible_to(user).filter(status=Inspection.Status.PLANNED,
                                                             plan__org_unit=user.org_unit)
                  .select_related("plan", "org_unit").order_by("scheduled_on", "pk")[:200]):
            out.append(Todo(kind=_("Inspection to record"), title=str(i),
                            url=reverse("inspections:inspection_record", args=[i.pk]), deadline=i.scheduled_on,
                            overdue=i.scheduled_on < today, key=f"inspections.record.{i.pk}"))
    return out
