"""Demo: trainings, plans, equipment, teams, drills and meetings for the demo units of 渝中区 and
沙坪坝区 (idempotent). 解放碑街道 has 3 drills this year, so that a 4th turns its rule green."""

from datetime import date

from django.utils import timezone

from safecommunity.orgunits.models import OrgUnit

from .models import Activity, Drill, EmergencyPlan, EmergencyTeam, Equipment, EventType, Meeting, TeamMember

ORDER = 61

# unit: (events, plan types, drills, review meeting last year)
PLAN = {
    "500103003": (4, 4, 3, True),
    "500103001": (2, 2, 4, True),
    "500103004": (5, 4, 4, False),
    "500106001": (5, 4, 2, True),
    "500106002": (1, 1, 0, False),
}
EVENTS = [
    (Activity.Kind.TRAINING, "居民消防安全知识培训", "社区居民", 85),
    (Activity.Kind.LECTURE, "老年人防跌倒健康讲座", "60岁以上老人", 60),
    (Activity.Kind.PUBLICITY, "安全生产月宣传咨询活动", "辖区居民及商户", 300),
    (Activity.Kind.TRAINING, "小微企业安全生产培训", "企业负责人及安全员", 42),
    (Activity.Kind.PUBLICITY, "防溺水安全宣传进校园", "中小学生", 500),
]
PLANS = [
    (EventType.NATURAL_DISASTER, "防汛抗旱及地质灾害应急预案"),
    (EventType.ACCIDENT, "火灾及生产安全事故应急预案"),
    (EventType.PUBLIC_HEALTH, "突发公共卫生事件应急预案"),
    (EventType.SOCIAL_SECURITY, "群体性事件及社会安全应急预案"),
]
DRILLS = [
    ("高层住宅火灾疏散演练", EventType.ACCIDENT, "高层住宅12楼起火，组织居民疏散并初期灭火", 120),
    ("防汛转移避险演练", EventType.NATURAL_DISASTER, "暴雨导致低洼地段积水，转移受威胁群众", 80),
    ("地震应急疏散演练", EventType.NATURAL_DISASTER, "模拟地震发生后学校及社区人员紧急疏散", 260),
    ("食物中毒应急处置演练", EventType.PUBLIC_HEALTH, "辖区餐馆发生群体性食物中毒，开展救治与流调", 45),
]


def _unit(code):
    return OrgUnit.objects.filter(code=code).first()


def build(*, stdout):
    year = timezone.localdate().year
    month = min(timezone.localdate().month, 10)
    made = 0
    for code, (n_events, n_plans, n_drills, review) in PLAN.items():
        unit = _unit(code)
        if unit is None:
            continue
        for i, (kind, title, audience, people) in enumerate(EVENTS[:n_events]):
            _, c = Activity.objects.get_or_create(org_unit=unit, title=title, defaults={
                "kind": kind, "held_on": date(year, 1 + (i * 2) % month, 15), "audience": audience,
                "participants": people, "organiser": f"{unit.name}安全社区创建办公室", "location": "社区活动中心"})
            made += c
        for event_type, title in PLANS[:n_plans]:
            _, c = EmergencyPlan.objects.get_or_create(org_unit=unit, event_type=event_type, defaults={
                "title": f"{unit.name}{title}", "version": "2024版", "approved_on": date(year - 1, 4, 20),
                "approved_by": f"{unit.name}党工委"})
            made += c
        for name, cat, qty, loc in [("干粉灭火器", "消防器材", 60, "各楼栋一楼"), ("应急物资储备库", "应急设施", 1, "社区服务中心负一楼"),
                                    ("冲锋舟", "防汛器材", 2, "应急物资储备库")][: 3 if n_plans > 1 else 1]:
            _, c = Equipment.objects.get_or_create(org_unit=unit, name=name, defaults={
                "category": cat, "quantity": qty, "location": loc, "acquired_on": date(year - 2, 5, 1),
                "last_checked_on": date(year, max(month - 1, 1), 10), "next_check_on": date(year + 1, 1, 10)})
            made += c
        team = None
        if n_plans > 1:
            team, c = EmergencyTeam.objects.get_or_create(org_unit=unit, name=f"{unit.name}应急救援队", defaults={
                "leader": "王队长", "phone": "023-63800000", "established_on": date(year - 1, 5, 12),
                "duties": "先期处置、疏散群众、协助专业救援"})
            if c:
                made += 1
                TeamMember.objects.bulk_create([
                    TeamMember(team=team, name=n, position=p, phone="138" + str(8000000 + k).zfill(8), skills=s)
                    for k, (n, p, s) in enumerate([("王建国", "队长", "指挥协调"), ("李明", "副队长", "消防"),
                                                   ("张丽", "队员", "急救"), ("陈刚", "队员", "水上救援")])])
        for i, (title, event_type, scenario, people) in enumerate(DRILLS[:n_drills]):
            _, c = Drill.objects.get_or_create(org_unit=unit, title=title, held_on__year=year, defaults={
                "event_type": event_type, "scenario": scenario, "held_on": date(year, 3 + i * 2, 20),
                "participants": people, "team": team, "evaluation": "响应迅速，疏散有序；个别楼栋广播不清",
                "follow_up": "检修楼栋应急广播，下季度复演"})
            made += c
        if review:
            _, c = Meeting.objects.get_or_create(org_unit=unit, kind=Meeting.Kind.YEAR_END_REVIEW,
                                                 held_on=date(year - 1, 12, 22), defaults={
                    "title": f"{year - 1}年安全社区创建工作分析会议", "chair": "街道主任",
                    "attendees": "创建委员会成员、各促进项目组组长", "minutes": "通报全年创建工作进展，分析伤害监测数据。",
                    "decisions": "1. 下一年度重点推进老年人防跌倒项目\n2. 增加应急演练频次"})
            made += c
        _, c = Meeting.objects.get_or_create(org_unit=unit, kind=Meeting.Kind.WORK, held_on=date(year, 4, 8), defaults={
            "title": f"{year}年第一季度创建工作推进会", "chair": "分管副主任", "minutes": "听取各项目组进展汇报。",
            "decisions": "各项目组6月底前完成上半年阶段评估"})
        made += c
    district = _unit("500103")
    if district is not None:
        _, c = Activity.objects.get_or_create(org_unit=district, title="安全社区创建标准与方法培训班", defaults={
            "kind": Activity.Kind.STANDARDS_TRAINING, "held_on": date(year, 3, 18),
            "audience": "各街道创建工作人员", "participants": 56, "organiser": "渝中区安委办", "location": "区行政中心"})
        made += c
    stdout.write(f"activities: {made} demo records")
