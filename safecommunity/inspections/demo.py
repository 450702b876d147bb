"""Demo: a 渝中区 inspection plan with a custom checklist over two units, one recorded with two
problems to put right (idempotent)."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from safecommunity.orgunits.models import OrgUnit

from . import services
from .models import Finding, InspectionPlan

ORDER = 71
CHECKLIST = [
    "安全社区创建机构健全，职责分工明确",
    "伤害监测与事故隐患排查台账完整",
    "安全促进项目按计划实施并有记录",
    "应急预案齐全并按期开展演练",
    "居民知晓率、参与率调查已开展",
]


def build(*, stdout):
    district = OrgUnit.objects.filter(code="500103").first()
    officer = get_user_model().objects.filter(org_unit=district, role="district").first()
    units = list(OrgUnit.objects.filter(code__in=["500103003", "500103001"]))
    if district is None or officer is None or len(units) < 2:
        return
    if InspectionPlan.objects.filter(org_unit=district).exists():
        return
    year = date.today().year
    plan = services.plan_save(plan=InspectionPlan(org_unit=district, title=f"{year}年安全社区创建工作督导检查",
                                                  starts_on=date(year, 4, 1), ends_on=date(year, 4, 30)),
                              actor=officer, custom_items=CHECKLIST, units=units)
    inspection = plan.inspections.get(org_unit__code="500103003")
    items = list(plan.items.all())
    results = [services.ItemResult(item=it, result=Finding.Result.OK) for it in items]
    results[1] = services.ItemResult(item=items[1], result=Finding.Result.PROBLEM,
                                     note="隐患排查台账缺少3月以后的记录", due_on=date(year, 5, 31))
    results[3] = services.ItemResult(item=items[3], result=Finding.Result.PROBLEM,
                                     note="防汛应急预案未按新组织机构修订", due_on=date(year, 4, 10) + timedelta(days=60))
    services.inspection_record(inspection=inspection, results=results, actor=officer, inspected_on=date(year, 4, 10),
                               inspector="区安委办 张伟、李娜", summary="创建工作总体有序，台账需补齐。")
    stdout.write("inspections: demo plan for 渝中区\n")
