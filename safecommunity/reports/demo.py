"""Demo data: information officers and a year of monthly reports for the demo units of 渝中区 and
沙坪坝区 in mixed states (approved, returned, late, nil, missing, awaiting review, resubmitted),
district summaries, and a pending unlock request. Idempotent: existing reports are left alone."""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from safecommunity.accounts.models import User
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import services
from .models import InformationOfficer, MonthlyReport, UnlockRequest
from .periods import add_months, current_period, local_tz

ORDER = 70

# unit code -> (demo worker username, officer name)
UNITS = {
    "500103003": ("jiefangbei_worker", "刘信息员"),
    "500103001": ("qixinggang_worker", "陈信息员"),
    "500106001": ("xiaolongkan_worker", "赵信息员"),
}
EXTRA_LAUNCHED = ["500103004", "500106002"]  # launched, but their reports are missing: the board shows it
DISTRICTS = {"500103": ("yuzhong_admin", "李信息员"), "500106": ("shapingba_admin", "王信息员")}

# month index (0 = oldest of the 12) -> what happens, per unit; default: approved by the city, on time
PLAN = {
    "500103003": {3: "nil", 6: "late", 10: "district_approved", 11: "resubmitted"},
    "500103001": {2: "missing", 5: "nil", 8: "late", 10: "returned", 11: "draft"},
    "500106001": {4: "missing", 7: "nil_late", 9: "unlock_pending", 10: "district_approved", 11: "submitted"},
}
WORK = ["开展消防安全宣传进社区活动，发放资料{n}份", "组织居家安全入户排查，走访老年人家庭{n}户",
        "召开安全社区创建推进会，部署本月重点工作", "开展交通安全进校园讲座，覆盖学生{n}人"]


def _at(period: date, day: int, hour: int = 10) -> datetime:
    d = add_months(period, 1).replace(day=day)
    return datetime.combine(d, time(hour, 0), tzinfo=local_tz())


def _launch(code: str, city_user) -> None:
    from safecommunity.creation.services import creating_unit_transition

    cu = CreatingUnit.objects.filter(org_unit__code=code).first()
    if cu is not None and cu.status == CreatingUnit.Status.NOT_STARTED:
        creating_unit_transition(unit=cu, to=CreatingUnit.Status.LAUNCHED, actor=city_user,
                                 effective_on=date(2025, 3, 1), reason="演示数据：启动创建")


def _officer(code: str, username: str, name: str):
    org_unit = OrgUnit.objects.get(code=code)
    user = User.objects.filter(username=username).first()
    officer, _created = InformationOfficer.objects.get_or_create(
        org_unit=org_unit, name=name, defaults={"user": user, "phone": "023-6" + code[-6:], "position": "信息员"})
    return officer


def _write(org_unit, period, actor, *, nil, n):
    with services.acting_at(_at(period, 1, 9)):
        report = services.monthly_report_create(org_unit=org_unit, period=period, actor=actor)
        if nil:
            services.monthly_report_update(report=report, actor=actor, is_nil=True)
        else:
            services.monthly_report_update(report=report, actor=actor, work_done=WORK[n % len(WORK)].format(n=20 + n),
                                           problems="部分居民参与积极性不高" if n % 3 == 0 else "",
                                           next_plans="继续开展隐患排查和宣传培训")
    return report


def build(*, stdout):
    city = User.objects.filter(username="city_admin").first()
    if city is None:
        return
    for code in [*UNITS, *EXTRA_LAUNCHED]:
        _launch(code, city)
    for code, (username, name) in {**UNITS, **DISTRICTS}.items():
        _officer(code, username, name)
    last = current_period()
    periods = [add_months(last, -i) for i in range(11, -1, -1)]
    created = 0
    for i, period in enumerate(periods):
        for code, (username, _name) in UNITS.items():
            org_unit = OrgUnit.objects.get(code=code)
            if MonthlyReport.objects.filter(org_unit=org_unit, period=period).exists():
                continue
            plan = PLAN[code].get(i, "approved")
            if plan == "missing":
                continue
            unit_user = User.objects.get(username=username)
            district_user = User.objects.get(username=DISTRICTS[code[:6]][0])
            try:
                report = _write(org_unit, period, unit_user, nil=plan in ("nil", "nil_late"), n=i)
            except ValidationError:  # e.g. another app's demo launched the unit later than this month
                continue
            created += 1
            if plan == "draft":
                continue
            submit_day = 9 if plan in ("late", "nil_late") else 3
            with services.acting_at(_at(period, submit_day)):
                report = services.monthly_report_submit(report=report, actor=unit_user)
            if plan == "submitted":
                continue
            if plan in ("returned", "resubmitted"):
                with services.acting_at(_at(period, 4, 15)):
                    services.monthly_report_return(
                        report=report, actor=district_user, reason="工作内容过于简略，请补充活动次数和参加人数",
                        comments={"work_done": "请写明参加人数", "next_plans": "计划请具体到周"})
                if plan == "returned":
                    continue
                with services.acting_at(_at(period, 5, 11)):
                    services.monthly_report_update(
                        report=report, actor=unit_user,
                        work_done=report.work_done + "；共组织活动3次，参加居民156人",
                        next_plans="第一周：消防演练；第二周：入户排查；第四周：月度总结")
                    report = services.monthly_report_submit(report=report, actor=unit_user)
                continue
            with services.acting_at(_at(period, 7, 16)):
                report = services.monthly_report_approve(report=report, actor=district_user)
            if plan == "district_approved":
                continue
            with services.acting_at(_at(period, 12, 9)):
                report = services.monthly_report_approve(report=report, actor=city)
            if plan == "unlock_pending" and not UnlockRequest.objects.filter(report=report).exists():
                with services.acting_at(_at(period, 20, 14)):
                    services.unlock_request_create(report=report, actor=unit_user,
                                                   reason="本月培训参加人数录入有误，申请解锁更正")
        for dcode, (username, _name) in DISTRICTS.items():
            district = OrgUnit.objects.get(code=dcode)
            if i >= 10 or MonthlyReport.objects.filter(org_unit=district, period=period).exists():
                continue
            district_user = User.objects.get(username=username)
            with services.acting_at(_at(period, 10, 9)):
                summary = services.monthly_report_create(org_unit=district, period=period, actor=district_user)
                services.monthly_report_update(report=summary, actor=district_user,
                                               work_done="汇总辖区创建单位月报；组织区级安全社区创建培训一次",
                                               next_plans="督促各街道按时报送月报")
                summary = services.monthly_report_submit(report=summary, actor=district_user)
            with services.acting_at(_at(period, 14, 10)):
                services.monthly_report_approve(report=summary, actor=city)
            created += 1
    stdout.write(f"reports: {created} monthly reports created ({timezone.localdate():%Y-%m-%d})")
