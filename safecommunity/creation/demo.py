"""Demo data for the creation app (idempotent): plan years 2025 and 2026, launches across
2024–2026 in several districts (渝中区 and 沙坪坝区 among them), a few designations, an
enterprise-led community and a park, responsibility letters, assessments and joint meetings
with follow-up items. Everything is written through the services."""

import math
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safecommunity.accounts.models import User
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import services
from .models import DistrictAssessment, JointMeeting, JointMeetingMember, PlanYear, ResponsibilityLetter

ORDER = 20
# The enterprise-led community and the park of the demo add two org units; the foundation's
# test_demo_command_is_idempotent (orgunits) still expects exactly 1,070 org units after
# `safecommunity demo`. Switch this on once that test counts "at least" (see the report).
DEMO_ENTERPRISES = True

# district code: (share launched in 2024, 2025, 2026)
LAUNCH_SHARES = {
    "500103": (0.1, 0.1, 0.1),  # 渝中区
    "500106": (0.3, 0.25, 0.2),  # 沙坪坝区
    "500105": (0.3, 0.3, 0.3),  # 江北区
    "500107": (0.2, 0.3, 0.1),  # 九龙坡区
    "500112": (0.3, 0.2, 0.1),  # 渝北区
    "500101": (0.2, 0.2, 0.15),  # 万州区
    "500102": (0.1, 0.2, 0.2),  # 涪陵区
    "500230": (0.0, 0.2, 0.1),  # 丰都县
}
LAUNCH_DAYS = {2021: date(2021, 3, 10), 2024: date(2024, 3, 15), 2025: date(2025, 3, 20), 2026: date(2026, 3, 18)}
# units that must be in a given year's batch: the demo units of the demo accounts
# (华新街街道 500105001 is 江北区's pilot of 2021: its first title has expired, re-evaluation is due)
FORCED = {"500103003": 2024, "500103004": 2024, "500103001": 2025, "500106001": 2024, "500105001": 2021}
# (code, path after launch [(status, date, reason)]). The demo accounts' units 解放碑街道,
# 七星岗街道 and 小龙坎街道 stay launched here: the evaluation demo takes them through a real
# self-assessment, expert panel and designation.
STORIES = [
    ("500105001", [("applied", date(2021, 10, 8), "试点单位申请评定"),
                   ("city", date(2022, 1, 15), "渝安委〔2022〕3号 命名为重庆市安全社区")]),
    ("500103004", [("applied", date(2025, 5, 20), "申请评定"),
                   ("city", date(2025, 12, 12), "渝安委〔2025〕12号 命名为重庆市安全社区"),
                   ("national", date(2026, 9, 25), "全国安全社区促进中心 命名为全国安全社区")]),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def user(username: str):
    return User.objects.filter(username=username).first()


def build(*, stdout):
    city = user("city_admin")
    if city is None:
        stdout.write("creation: no city_admin, skipped")
        return
    today = timezone.localdate()
    for year in (2025, 2026):
        if not PlanYear.objects.filter(year=year).exists():
            services.plan_year_open(year=year, actor=city)
    plan_2026 = PlanYear.objects.get(year=2026)
    if plan_2026.target_launched == 800 and not plan_2026.notes:
        services.plan_year_update(plan=plan_2026, actor=city, notes="2026年沿用2012年通知目标，按累计数考核。")

    launched = _launch(city=city, today=today)
    designated = _stories(city=city, today=today)
    if DEMO_ENTERPRISES:
        _enterprises(today=today)
    _letters(city=city, today=today)
    _assessments(city=city)
    _meetings(city=city, today=today)
    stdout.write(f"creation: plans 2025/2026, {launched} launched now, {designated} transitions added")


def _admin_for(code: str, city):
    return {"500103": user("yuzhong_admin"), "500106": user("shapingba_admin")}.get(code) or city


def _launch(*, city, today) -> int:
    count = 0
    for code, shares in LAUNCH_SHARES.items():
        district = OrgUnit.objects.filter(code=code).first()
        if district is None:
            continue
        townships = list(CreatingUnit.objects.filter(org_unit__parent=district, kind=CreatingUnit.Kind.TOWNSHIP)
                         .select_related("org_unit").order_by("org_unit__code"))
        free = [u for u in townships if u.org_unit.code not in FORCED]
        batches, start = {2021: []}, 0
        for year, share in zip((2024, 2025, 2026), shares, strict=True):
            n = math.ceil(share * len(townships)) if share else 0
            batches[year] = free[start:start + n]
            start += n
        for unit in townships:
            if unit.org_unit.code in FORCED:
                batches[FORCED[unit.org_unit.code]].insert(0, unit)
        actor = _admin_for(code, city)
        for year, units in batches.items():
            day = min(LAUNCH_DAYS[year], today)
            todo = [u for u in units if CreatingUnit.objects.get(pk=u.pk).status == CreatingUnit.Status.NOT_STARTED]
            if todo:
                services.creating_units_launch(units=todo, actor=actor, launched_on=day,
                                               plan_file=pdf(f"{district.name}{year}年安全社区创建实施方案.pdf"),
                                               reason=f"{year}年第一批" if year > 2021 else "试点")
                count += len(todo)
    return count


def _stories(*, city, today) -> int:
    added = 0
    designations = dict(STORIES)
    # a few more designations in 沙坪坝区 and 江北区, from their 2024 batches
    for code in ("500106", "500105"):
        extra = (CreatingUnit.objects.filter(org_unit__parent__code=code, launch_year=2024)
                 .exclude(org_unit__code__in=FORCED).order_by("org_unit__code")[:2])
        for unit in extra:
            designations.setdefault(unit.org_unit.code, [
                ("applied", date(2025, 6, 20), "申请评定"),
                ("city", date(2025, 12, 12), "渝安委〔2025〕12号 命名为重庆市安全社区"),
            ])
    for code, steps in designations.items():
        unit = CreatingUnit.objects.filter(org_unit__code=code).first()
        if unit is None or unit.status == CreatingUnit.Status.NOT_STARTED:
            continue
        done = unit.transitions.count() - 1  # the launch
        for status, day, reason in steps[done:]:
            if day > today:
                break
            unit.refresh_from_db()
            actor = city if status != "applied" else _admin_for(code[:6], city)
            upload = pdf(f"{unit.name}{reason[:12]}.pdf") if status in ("city", "national", "international") else None
            services.creating_unit_transition_with_file(unit=unit, to=status, actor=actor, reason=reason,
                                                        effective_on=day, uploaded=upload)
            added += 1
    return added


def _enterprises(*, today):
    for code, kind, name, workforce, username in (
        ("500103", CreatingUnit.Kind.ENTERPRISE, "重庆港务物流集团企业主导型社区", 3200, "yuzhong_admin"),
        ("500106", CreatingUnit.Kind.PARK, "重庆西部物流园", 18500, "shapingba_admin"),
    ):
        actor = user(username)
        district = OrgUnit.objects.filter(code=code).first()
        if actor is None or district is None:
            continue
        existing = CreatingUnit.objects.filter(org_unit__parent=district, org_unit__name=name).first()
        if existing is None:
            existing = services.enterprise_unit_register(district=district, kind=kind, name=name, workforce=workforce,
                                                         actor=actor, address=f"{district.name}")
        if existing.status == CreatingUnit.Status.NOT_STARTED:
            services.creating_units_launch(units=[existing], actor=actor, launched_on=min(date(2025, 4, 8), today),
                                           plan_file=pdf(f"{name}创建实施方案.pdf"), reason="企业/园区创建")


def _letters(*, city, today):
    plan = PlanYear.objects.get(year=2026)
    for code, signatory, lower in (("500103", "市安委办 张主任", "渝中区人民政府 陈区长"),
                                   ("500106", "市安委办 张主任", "沙坪坝区人民政府 周区长")):
        district = OrgUnit.objects.filter(code=code).first()
        if district is None or ResponsibilityLetter.objects.filter(year=2026, org_unit=district).exists():
            continue
        row = plan.districts.get(org_unit=district)
        services.letter_save(
            actor=city, year=2026, level="city_district", org_unit=district, target_launched=row.quota,
            target_designated=2, upper_signatory=signatory, lower_signatory=lower,
            signed_on=min(date(2026, 2, 20), today), uploaded=pdf(f"{district.name}2026年目标责任书.pdf"),
            targets=f"1. 新启动安全社区创建{row.quota}个；\n2. 评定重庆市安全社区2个；\n3. 各创建单位按月报送创建进度月报；\n"
                    "4. 组织安全社区创建标准、方法培训不少于1次。",
        )
    yz = user("yuzhong_admin")
    jfb = OrgUnit.objects.filter(code="500103003").first()
    if yz and jfb and not ResponsibilityLetter.objects.filter(year=2026, org_unit=jfb).exists():
        services.letter_save(
            actor=yz, year=2026, level="district_unit", org_unit=jfb, target_designated=1,
            upper_signatory="渝中区安委办 李科长", lower_signatory="解放碑街道办事处 刘主任",
            signed_on=min(date(2026, 3, 2), today), uploaded=pdf("解放碑街道2026年目标责任书.pdf"),
            targets="1. 保持重庆市安全社区称号；\n2. 实施安全促进项目不少于7个；\n3. 开展应急演练不少于4次。",
        )


def _assessments(*, city):
    for code, score, remarks in (("500103", "92.5", "启动任务全面完成，命名2个重庆市安全社区。"),
                                 ("500106", "84.0", "启动任务完成，小龙坎街道评定退回整改，需加强伤害监测。")):
        district = OrgUnit.objects.filter(code=code).first()
        if district and not DistrictAssessment.objects.filter(year=2025, org_unit=district).exists():
            services.assessment_save(actor=city, district=district, year=2025, score=score, remarks=remarks)


def _meetings(*, city, today):
    city_unit = OrgUnit.objects.filter(level=OrgUnit.Level.CITY).first()
    services.members_from_departments(actor=city, org_unit=city_unit)
    if not JointMeetingMember.objects.filter(org_unit=city_unit, name="市公安消防局").exists():
        services.member_save(actor=city, org_unit=city_unit, name="市公安消防局")
        services.member_save(actor=city, org_unit=city_unit, name="市公安交管局")
    title = "2026年重庆市安全社区创建工作联席会议第一次会议"
    if not JointMeeting.objects.filter(title=title).exists():
        members = list(JointMeetingMember.objects.filter(org_unit=city_unit))
        meeting = services.meeting_save(
            actor=city, org_unit=city_unit, title=title, held_on=min(date(2026, 3, 26), today),
            location="市安全监管局第一会议室", chair="市安全监管局 副局长", attendees=members,
            other_attendees="各区县安委办负责人", summary="通报2025年创建工作情况，部署2026年启动和评定工作。",
            decisions=["各区县按年度计划完成启动任务，6月底前上报实施方案。",
                       "公安交管部门牵头整治创建单位道路交通隐患。",
                       "卫生部门完善伤害监测报告制度，覆盖所有创建单位。"],
            uploaded=pdf("联席会议纪要2026-1.pdf"),
        )
        decisions = list(meeting.decisions.all())
        by_dept = {m.department.code: m for m in members if m.department_id}
        items = [
            (decisions[0], "汇总各区县实施方案", by_dept.get("AJ"), date(2026, 6, 30), "已汇总38个区县实施方案"),
            (decisions[1], "完成创建单位周边道路隐患排查", by_dept.get("GA"), date(2026, 9, 30), ""),
            (decisions[2], "印发伤害监测报告卡填报规范", by_dept.get("WS"), date(2027, 1, 31), ""),
        ]
        for decision, task, owner, due, result in items:
            item = services.follow_up_create(actor=city, decision=decision, task=task, owner=owner,
                                             owner_text="" if owner else "市安委办", due_on=due)
            if result and due <= today:
                services.follow_up_complete(actor=city, item=item, result=result, done_on=due)
    yz = user("yuzhong_admin")
    district = OrgUnit.objects.filter(code="500103").first()
    if yz and district and not JointMeeting.objects.filter(org_unit=district).exists():
        member = services.member_save(actor=yz, org_unit=district, name="渝中区应急管理局", is_lead=True)
        other = services.member_save(actor=yz, org_unit=district, name="渝中区卫生健康委")
        meeting = services.meeting_save(
            actor=yz, org_unit=district, title="渝中区安全社区创建工作联席会议", held_on=min(date(2026, 4, 9), today),
            attendees=[member, other], summary="部署2026年七星岗街道等单位启动和申报工作。",
            decisions=["七星岗街道6月前提交评定申请。"],
        )
        services.follow_up_create(actor=yz, decision=meeting.decisions.get(), task="指导七星岗街道准备申报材料",
                                  owner=member, due_on=date(2026, 6, 1))
