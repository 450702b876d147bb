from datetime import date

import factory

from safecommunity.activities.models import (
    Activity,
    Drill,
    EmergencyPlan,
    EmergencyTeam,
    Equipment,
    EventType,
    Meeting,
)
from safecommunity.orgunits.models import OrgUnit


class UnitRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        exclude = ("code",)

    code = "500103003"
    org_unit = factory.LazyAttribute(lambda o: OrgUnit.objects.get(code=o.code))


class ActivityFactory(UnitRecordFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.TRAINING
    title = factory.Sequence(lambda n: f"消防安全培训{n}")
    held_on = date(2025, 5, 10)
    audience = "社区居民"
    participants = 60
    organiser = "街道安办"


class PlanFactory(UnitRecordFactory):
    class Meta:
        model = EmergencyPlan

    event_type = EventType.NATURAL_DISASTER
    title = factory.Sequence(lambda n: f"防汛应急预案{n}")
    version = "V1.0"
    approved_on = date(2025, 3, 1)


class EquipmentFactory(UnitRecordFactory):
    class Meta:
        model = Equipment

    name = "灭火器"
    quantity = 20
    location = "社区服务中心"


class TeamFactory(UnitRecordFactory):
    class Meta:
        model = EmergencyTeam

    name = factory.Sequence(lambda n: f"应急救援队{n}")
    leader = "张队长"
    established_on = date(2024, 6, 1)


class DrillFactory(UnitRecordFactory):
    class Meta:
        model = Drill

    title = factory.Sequence(lambda n: f"消防疏散演练{n}")
    event_type = EventType.ACCIDENT
    scenario = "高层住宅火灾疏散"
    held_on = date(2025, 4, 15)
    participants = 120


class MeetingFactory(UnitRecordFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.YEAR_END_REVIEW
    title = "2025年安全社区创建工作分析会"
    held_on = date(2025, 12, 20)
    minutes = "总结全年工作，确定下一年度重点"
