"""Demo data: archive files for the demo units, a 100-point city scheme, an expert pool, one
designated unit with certificate (解放碑街道), one application under expert evaluation with both
experts' scores submitted (七星岗街道), a self-assessment in progress (小龙坎街道), special funds.
Idempotent: a unit that already has an application is left alone."""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

ORDER = 80

DOCS = [
    ("E01", "关于成立安全社区创建工作领导小组的通知"), ("E01", "安全社区创建工作制度汇编"),
    ("E02", "安全社区志愿者名册"), ("E03", "社区安全诊断报告"), ("E04", "安全社区三年规划及年度计划"),
    ("E05", "老年人防跌倒促进项目方案"), ("E06", "安全宣传培训签到表"), ("E07", "综合应急预案"),
    ("E07", "消防应急演练记录"), ("E09", "伤害监测月报"), ("E10", "档案管理制度"), ("E12", "年度工作评审报告"),
]


def _pdf(title: str) -> bytes:
    from reportlab.pdfgen import canvas

    from .pdf import chinese_font

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(chinese_font(), 16)
    c.drawString(72, 760, title)
    c.setFont(chinese_font(), 10)
    c.drawString(72, 730, "（演示文件）")
    c.showPage()
    c.save()
    return buf.getvalue()


def _users():
    from safecommunity.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__in=[
        "city_admin", "yuzhong_admin", "shapingba_admin", "jiefangbei_worker", "qixinggang_worker",
        "xiaolongkan_worker", "expert_wang", "expert_li"])}


def _archive(unit, actor, stdout):
    from safecommunity.archive.models import Attachment
    from safecommunity.archive.services import attachment_create
    from safecommunity.core.models import CodeItem

    if Attachment.objects.filter(org_unit=unit.org_unit, role="archive").exists():
        return
    elements = {c.code: c for c in CodeItem.objects.of("aqt_element")}
    for n, (code, title) in enumerate(DOCS):
        attachment_create(uploaded=SimpleUploadedFile(f"{title}.pdf", _pdf(f"{unit.org_unit.name} {title}")),
                          org_unit=unit.org_unit, actor=actor, role="archive", element=elements[code], title=title,
                          document_date=timezone.localdate() - timedelta(days=400 - 25 * n))
    stdout.write(f"evaluation: archive of {unit.org_unit.name}: {len(DOCS)} files")


def _launch(unit, city):
    from safecommunity.creation.services import creating_unit_transition
    from safecommunity.orgunits.models import CreatingUnit

    if unit.status == CreatingUnit.Status.NOT_STARTED:
        creating_unit_transition(unit=unit, to="launched", actor=city, reason="演示：启动创建",
                                 effective_on=timezone.localdate() - timedelta(days=800))
        unit.refresh_from_db()
    if unit.launched_on is None and unit.launch_year is None:
        type(unit).objects.filter(pk=unit.pk).update(launched_on=timezone.localdate() - timedelta(days=800))
        unit.refresh_from_db()


def _self_assess(app, actor, *, weak=(), files=()):
    from . import services

    for item in app.scheme.items.all():
        grades = ("b", "b", "a") if item.number in weak else ("a", "a", "a")
        linked = [f for f in files if f.element_id == item.element_id][:2]
        services.self_score_set(application=app, actor=actor, item=item, presence=grades[0], evidence=grades[1],
                                effect=grades[2], comment="" if grades == ("a", "a", "a") else "材料不够完整",
                                evidence_files=linked)


def _to_panel(app, u, district_user, worker):
    from safecommunity.archive.models import Attachment
    from safecommunity.archive.services import attachment_create
    from safecommunity.core.models import CodeItem

    from . import services

    report = attachment_create(uploaded=SimpleUploadedFile("创建工作报告.pdf", _pdf(f"{app.org_unit.name} 安全社区创建工作报告")),
                               org_unit=app.org_unit, actor=worker, obj=app, role="work_report", title="创建工作报告",
                               element=CodeItem.objects.of("aqt_element").filter(code="E10").first())
    services.application_update(application=app, actor=worker, work_report=report,
                                summary="自启动创建以来，围绕12个要素开展安全促进工作。")
    _self_assess(app, worker, weak={7, 15, 33}, files=list(Attachment.objects.filter(org_unit=app.org_unit)))
    services.application_submit(application=app, actor=worker)
    services.application_review(application=app, actor=district_user, forward=True, reason="材料齐全，同意上报")
    return services.panel_assign(application=app, actor=u["city_admin"], experts=[u["expert_wang"], u["expert_li"]],
                                 lead=u["expert_wang"], site_visit_on=timezone.localdate() - timedelta(days=3))


def _experts_score(app, u, disagree_on=(9,)):
    from . import services

    for name in ("expert_wang", "expert_li"):
        for item in app.scheme.items.all():
            g = ("a", "a", "a")
            if item.number in (7, 15):
                g = ("a", "b", "b")
            if item.number in disagree_on and name == "expert_li":
                g = ("b", "c", "d")
            services.expert_score_set(application=app, actor=u[name], item=item, presence=g[0], evidence=g[1],
                                      effect=g[2], comment="" if g == ("a", "a", "a") else "现场查看记录不完整")
        services.expert_submit(application=app, actor=u[name])


CITY_SCHEME_CODE = "chongqing-city"


def city_example_scheme(city):
    """A 100-point city scheme (20 items × 5 points = presence 1.5 + evidence 1.5 + effect 2; pass ≥ 90,
    pass after rectification ≥ 80), loaded through the Excel template as a city office would. Its
    item texts are the product's own example wording built from the AQ/T 9001 elements — not an
    official table — and the scheme says so. It is the demo's default: the national scheme still
    holds placeholder items and cannot be chosen until the city office completes it."""
    from safecommunity.core.excel import workbook_bytes

    from . import scheme_excel, services
    from .models import PARTS, Scheme
    from .seeds import NATIONAL_ITEMS

    scheme = Scheme.objects.filter(family=CITY_SCHEME_CODE).order_by("-version").first()
    if scheme is not None and scheme.usable:
        return scheme
    per_element = {"E01": 3, "E03": 2, "E05": 3, "E06": 2, "E07": 2, "E09": 2}  # 20 items over the 12 elements
    rows, number = [], 0
    for code, items in NATIONAL_ITEMS:
        for text, evidence, _confirmed in items[:per_element.get(code, 1)]:
            number += 1
            rows.append([code, number, "", text, evidence, 1.5, 1.5, 2.0, scheme_excel._parts_text(PARTS)])
    settings = [[label, value] for (_key, label), value in zip(scheme_excel.setting_rows(), [
        CITY_SCHEME_CODE, "重庆市安全社区评定标准（示例，100分）", "city", 100.0, 90.0, 80.0, "是", 100, 70, 30, 0,
        "示例方案：20项×5分=100分（有无1.5+痕迹1.5+效果2）；条目文字为本系统依据AQ/T 9001各要素拟写的示例，"
        "并非官方文本，请市安委办以正式评定标准替换。"], strict=True)]
    data = workbook_bytes([("方案", ["项目", "值"], settings), ("条目", scheme_excel.item_headers(), rows)])
    scheme = services.scheme_import(actor=city, data=data)
    Scheme.objects.filter(pk=scheme.pk).update(is_default=True)
    Scheme.objects.exclude(pk=scheme.pk).update(is_default=False)
    scheme.refresh_from_db()
    return scheme


def build(*, stdout):
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # titles written by services are data, in Chinese
        _build(stdout)


def _build(stdout):
    from safecommunity.orgunits.models import CreatingUnit, OrgUnit

    from . import services
    from .models import Application, ExpertProfile, SpecialFund

    u = _users()
    if len(u) < 8:
        stdout.write("evaluation: demo users missing, skipped")
        return
    # Expert pool: 王专家 lives in 沙坪坝区 (not assignable to 小龙坎街道), 李专家 has no district.
    spb = OrgUnit.objects.filter(code="500106").first()
    ExpertProfile.objects.get_or_create(user=u["expert_wang"], defaults={
        "field": "安全管理", "affiliation": "重庆大学资源与安全学院", "home_district": spb})
    ExpertProfile.objects.get_or_create(user=u["expert_li"], defaults={
        "field": "伤害预防与公共卫生", "affiliation": "重庆市疾病预防控制中心"})
    # A third expert from 渝中区: the conflict rule keeps them off 渝中区 panels.
    from safecommunity.accounts.management.commands.demo import DEMO_PASSWORD
    from safecommunity.accounts.services import user_upsert

    zhao, _created = user_upsert(username="expert_zhao", role="expert", code="500000", password=DEMO_PASSWORD,
                                 full_name="赵专家")
    ExpertProfile.objects.get_or_create(user=zhao, defaults={
        "field": "消防安全", "affiliation": "渝中区消防救援支队", "home_district": OrgUnit.objects.filter(
            code="500103").first()})
    city_scheme = city_example_scheme(u["city_admin"])
    units = {cu.org_unit.code: cu for cu in CreatingUnit.objects.select_related("org_unit").filter(
        org_unit__code__in=["500103003", "500103001", "500106001"])}
    workers = {"500103003": u["jiefangbei_worker"], "500103001": u["qixinggang_worker"],
               "500106001": u["xiaolongkan_worker"]}
    districts = {"500103": u["yuzhong_admin"], "500106": u["shapingba_admin"]}
    for code, unit in units.items():
        _archive(unit, workers[code], stdout)

    def guarded(code, fn):
        unit = units.get(code)
        if unit is None or Application.objects.filter(creating_unit=unit).exists():
            return
        try:
            with transaction.atomic():
                _launch(unit, u["city_admin"])
                fn(unit)
        except (ValidationError, PermissionDenied) as exc:
            stdout.write(f"evaluation: {unit.org_unit.name} skipped ({'; '.join(getattr(exc, 'messages', [str(exc)]))})")

    def designated(unit):
        worker = workers[unit.org_unit.code]
        app = services.application_create(creating_unit=unit, actor=worker, scheme=city_scheme)
        app = _to_panel(app, u, districts[unit.org_unit.parent.code], worker)
        _experts_score(app, u, disagree_on=())
        for item in app.scheme.items.all():
            g = ("a", "b", "b") if item.number in (7, 15) else ("a", "a", "a")
            services.final_score_set(application=app, actor=u["expert_wang"], item=item, presence=g[0],
                                     evidence=g[1], effect=g[2],
                                     comment="" if g == ("a", "a", "a") else "演练记录缺少评估总结")
        app = services.application_decide(application=app, actor=u["expert_wang"])
        app = services.application_confirm(application=app, actor=u["city_admin"], note="经市安委办审定，予以命名")
        stdout.write(f"evaluation: {unit.org_unit.name} designated ({app.final_total})")

    def evaluating(unit):
        worker = workers[unit.org_unit.code]
        app = services.application_create(creating_unit=unit, actor=worker, scheme=city_scheme)
        app = _to_panel(app, u, districts[unit.org_unit.parent.code], worker)
        _experts_score(app, u, disagree_on=(9, 21))
        stdout.write(f"evaluation: {unit.org_unit.name} under expert evaluation, both experts submitted")

    def drafting(unit):
        worker = workers[unit.org_unit.code]
        app = services.application_create(creating_unit=unit, actor=worker, scheme=city_scheme)
        for item in list(app.scheme.items.all())[:12]:
            services.self_score_set(application=app, actor=worker, item=item, presence="a", evidence="b", effect="a")
        stdout.write(f"evaluation: {unit.org_unit.name} self-assessment in progress")

    guarded("500103003", designated)
    guarded("500103001", evaluating)
    guarded("500106001", drafting)

    year = timezone.localdate().year
    jfb = units.get("500103003")
    if jfb and not SpecialFund.objects.filter(creating_unit=jfb, year=year).exists():
        fund = services.fund_save(actor=u["jiefangbei_worker"], creating_unit=jfb, year=year, budget=Decimal("300000"))
        for month, item, amount in ((2, "宣传材料印制", "18000"), (4, "应急物资采购", "56000"),
                                    (max(1, timezone.localdate().month), "志愿者培训", "9500")):
            services.spending_create(actor=u["jiefangbei_worker"], fund=fund,
                                     spent_on=min(date(year, month, 10), timezone.localdate()),
                                     item=item, amount=Decimal(amount),
                                     vouchers=[SimpleUploadedFile(f"{item}凭证.pdf", _pdf(f"{item} 报销凭证"))])
        stdout.write("evaluation: special fund of 解放碑街道")
