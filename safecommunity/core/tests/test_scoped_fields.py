"""API relation fields look among the records the user may see (core.drf): probing another
district's id or code gets one neutral message that names nothing."""

import pytest
from django.test import RequestFactory

from safecommunity.core.models import CodeItem
from safecommunity.creation.api import MeetingSerializer
from safecommunity.creation.models import JointMeetingMember
from safecommunity.injuries.api import InjuryRecordSerializer
from safecommunity.injuries.models import ReportingSource

pytestmark = pytest.mark.django_db
NEUTRAL = "对象不存在或无权访问"


def context(user):
    request = RequestFactory().post("/")
    request.user = user
    return {"request": request}


def source(tree, code, name):
    kind = CodeItem.objects.filter(codelist__key="injury_source_kind").first() or CodeItem.objects.first()
    return ReportingSource.objects.create(org_unit=tree[code], name=name, kind=kind)


def test_another_districts_source_is_answered_neutrally(tree, unit_a):
    theirs = source(tree, "500106001", "小龙坎街道入户调查")
    ours = source(tree, "500103003", "解放碑街道入户调查")
    for value in (theirs.pk, 999999):
        s = InjuryRecordSerializer(data={"source": value}, partial=True, context=context(unit_a))
        assert not s.is_valid()
        message = " ".join(str(m) for m in s.errors["source"])
        assert NEUTRAL in message and "小龙坎" not in message and str(value) not in message
    s = InjuryRecordSerializer(data={"source": ours.pk}, partial=True, context=context(unit_a))
    s.is_valid()
    assert "source" not in s.errors


def test_another_districts_meeting_member_is_answered_neutrally(tree, district_a):
    member = JointMeetingMember.objects.create(org_unit=tree["500106"], name="沙坪坝区应急局")
    s = MeetingSerializer(data={"attendees": [member.pk]}, partial=True, context=context(district_a))
    assert not s.is_valid()
    text = str(s.errors["attendees"])
    assert NEUTRAL in text and "沙坪坝" not in text


def test_org_units_are_reference_data_and_unknown_codes_are_answered_neutrally(tree, district_a):
    """Any real division code passes the field (the service answers 403 outside the user's area);
    a code that is no org unit gets the neutral message."""
    s = MeetingSerializer(data={"org_unit": "500106"}, partial=True, context=context(district_a))
    s.is_valid()
    assert "org_unit" not in s.errors
    s = MeetingSerializer(data={"org_unit": "999999"}, partial=True, context=context(district_a))
    assert not s.is_valid() and NEUTRAL in str(s.errors["org_unit"])
