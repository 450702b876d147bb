"""The 待办 inbox of creation: the joint meeting's follow-up items for the office that holds the
meeting and the department that owns them, each opening its 办结 page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safecommunity.core.registry import todos_for
from safecommunity.creation.services import follow_up_create, meeting_save, members_from_departments
from safecommunity.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_follow_up_items_wait_on_the_city_and_the_owning_department(client_for, city_admin, dept_ga, district_a):
    from safecommunity.creation.models import JointMeetingMember

    city = OrgUnit.objects.get(level="city")
    members_from_departments(actor=city_admin, org_unit=city)
    meeting = meeting_save(actor=city_admin, org_unit=city, title="市会", held_on=timezone.localdate(),
                           decisions=["交通"])
    late = timezone.localdate() - timedelta(days=3)
    follow_up_create(actor=city_admin, decision=meeting.decisions.get(), task="整治交通秩序",
                     owner=JointMeetingMember.objects.get(department__code="GA"), due_on=late)
    for user in (city_admin, dept_ga):
        [todo] = [t for t in todos_for(user) if t.key.startswith("creation.followup")]
        assert todo.title == "整治交通秩序" and todo.deadline == late and todo.overdue
        assert client_for(user).get(todo.url).status_code == 200
    assert [t for t in todos_for(district_a) if t.key.startswith("creation.followup")] == []
