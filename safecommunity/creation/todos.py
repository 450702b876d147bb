"""The 待办 inbox: follow-up items of joint meetings still open (the office that holds the meeting,
or the department that owns the item) and titles that expire within 180 days (the offices)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.todos import Todo

from . import permissions
from .choices import FollowUpStatus
from .models import FollowUp
from .selectors import titles

# Every model whose table todos() reads: its items stay cached until one of them changes.
DEPENDS_ON = (
    "creation.CreationTransition",
    "creation.FollowUp",
    "creation.JointMeeting",
    "creation.JointMeetingMember",
    "creation.MeetingDecision",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)


def todos(user) -> list[Todo]:
    today = timezone.localdate()
    items = []
    if permissions.follow_ups(user):
        for f in (FollowUp.objects.visible_to(user).filter(status=FollowUpStatus.OPEN)
                  .order_by("due_on", "pk")[:100]):
            items.append(Todo(kind=_("Follow-up item due"), title=f.task,
                              url=reverse("creation:followup_done", args=[f.pk]), deadline=f.due_on,
                              overdue=f.is_overdue(today), key=f"creation.followup.{f.pk}"))
    if permissions.plans(user):
        for unit in titles(user).filter(title_valid_until__lte=today + timedelta(days=180))[:100]:
            until = unit.title_valid_until
            items.append(Todo(kind=_("Title expiring: re-evaluation due"), title=unit.org_unit.name,
                              url=unit.get_absolute_url(), deadline=until, overdue=until < today,
                              key=f"creation.title.{unit.pk}"))
    return items
