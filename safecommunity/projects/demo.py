"""Demo: promotion projects with indicators and half-yearly evaluations for the demo units of
渝中区 and 沙坪坝区 (idempotent). Launches the demo units if they have not been launched."""

from datetime import date

from django.utils import timezone

from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import CreatingUnit, Department

from .models import Indicator, IndicatorValue, PhaseEvaluation, Project

ORDER = 60
DEMO_UNITS = ["500103003", "500103001", "500103004", "500106001", "500106002"]

# name, area, target group, responsible dept, supporting depts, problem, indicator (name, unit, baseline, target)
PROJECTS = [
    ("老年人防跌倒促进项目", "elderly", "60岁以上居家老人", "WS", ["MZ"], "上年辖区老年人跌倒伤害42例，占伤害总数31%",
     ("老年人跌倒发生率", "‰", 12, 9)),
    ("道路交通安全促进项目", "traffic", "中小学生及电动车骑行者", "GA", ["JT", "JY"], "上年交通伤害38例，其中电动车相关21例",
     ("交通伤害例数", "例", 38, 28)),
    ("高层建筑消防安全促进项目", "fire", "高层住宅居民", "GA", ["JS"], "辖区高层住宅126栋，消防通道占用问题突出",
     ("消防通道占用处数", "处", 45, 10)),
    ("儿童居家安全促进项目", "children", "0-6岁儿童家庭", "WS", ["JY"], "上年儿童烧烫伤、跌落伤害17例", ("儿童伤害例数", "例", 17, 10)),
    ("商圈公共场所安全促进项目", "public_place", "商圈从业人员及游客", "GA", ["ZJ"], "节假日商圈人流密集，踩踏风险高",
     ("应急疏散演练覆盖率", "%", 40, 90)),
    ("工作场所安全促进项目", "workplace", "辖区小微企业员工", "AJ", ["RS"], "上年工伤事故12起", ("工伤事故起数", "起", 12, 6)),
    ("校园安全促进项目", "school", "辖区中小学生", "JY", ["GA"], "校园周边交通及欺凌事件多发", ("校园伤害例数", "例", 9, 5)),
]
PER_UNIT = {"500103003": 7, "500103001": 4, "500103004": 6, "500106001": 7, "500106002": 3}


def launch_demo_units(stdout):
    from safecommunity.accounts.models import User
    from safecommunity.creation.services import creating_unit_transition

    actor = User.objects.filter(username="city_admin").first()
    year = timezone.localdate().year
    launched = 0
    for cu in CreatingUnit.objects.filter(org_unit__code__in=DEMO_UNITS, status=CreatingUnit.Status.NOT_STARTED):
        creating_unit_transition(unit=cu, to=CreatingUnit.Status.LAUNCHED, actor=actor, reason="示范数据",
                                 effective_on=date(year - 1, 3, 1))
        launched += 1
    CreatingUnit.objects.filter(org_unit__code__in=DEMO_UNITS, launch_year__isnull=True).update(launch_year=year - 1)
    return launched


def build(*, stdout):
    launched = launch_demo_units(stdout)
    year = timezone.localdate().year
    today = timezone.localdate()
    areas = {c.code: c for c in CodeItem.objects.of("safety_area")}
    depts = {d.code: d for d in Department.objects.all()}
    made = 0
    for code, n in PER_UNIT.items():
        cu = CreatingUnit.objects.filter(org_unit__code=code).select_related("org_unit").first()
        if cu is None:
            continue
        for i, (name, area, group, lead, support, problem, ind) in enumerate(PROJECTS[:n]):
            project, created = Project.objects.get_or_create(
                org_unit=cu.org_unit, name=name,
                defaults={"safety_area": areas[area], "target_group": group, "problem": problem,
                          "objective": f"{ind[0]}由{ind[2]}{ind[1]}降至{ind[3]}{ind[1]}" if ind[2] > ind[3]
                          else f"{ind[0]}由{ind[2]}{ind[1]}提高到{ind[3]}{ind[1]}",
                          "measures": "开展入户宣传与隐患排查\n改造重点场所设施\n组织专题培训与演练",
                          "responsible_department": depts.get(lead), "responsible_person": "项目组长",
                          "budget": 30000 + 10000 * i, "start_on": date(year - 1, 3, 1),
                          "end_on": date(year + 1, 2, 28), "status": Project.Status.IN_PROGRESS},
            )
            if not created:
                continue
            made += 1
            project.supporting_departments.set([depts[c] for c in support if c in depts])
            indicator = Indicator.objects.create(project=project, name=ind[0], unit=ind[1], baseline=ind[2],
                                                 target=ind[3])
            if i == 0:  # its resident survey shows whether people know of the creation (知晓率)
                Indicator.objects.create(project=project, name="居民安全社区知晓率", unit="%", baseline=55, target=80,
                                         survey_measure="awareness")
            # evaluations: every half of last year; this year the first half, the second for some
            halves = [(year - 1, 1), (year - 1, 2), (year, 1)]
            if i % 3 != 2 and today.month >= 11:
                halves.append((year, 2))
            for k, (y, h) in enumerate(halves):
                ev = PhaseEvaluation.objects.create(
                    project=project, year=y, half=h, evaluated_on=date(y, 6 if h == 1 else 11, 25),
                    progress=f"开展入户宣传与隐患排查：已完成\n改造重点场所设施：完成约{40 + 20 * k}%\n组织专题培训与演练：按计划推进",
                    problems="部分居民参与度不高" if k % 2 == 0 else "",
                    corrective_actions="增加志愿者入户频次" if k % 2 == 0 else "")
                step = (float(ind[2]) - float(ind[3])) / 4
                IndicatorValue.objects.create(evaluation=ev, indicator=indicator,
                                              value=round(float(ind[2]) - step * (k + 1), 2))
    stdout.write(f"projects: {made} demo projects, {launched} demo units launched")
