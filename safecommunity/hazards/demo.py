"""Demo data: the four risk registers and hazards in every state for the demo units of
渝中区 and 沙坪坝区, one major hazard under city supervision and some overdue. Idempotent."""

import struct
import zlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.accounts.models import User
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import Department, OrgUnit

from . import services
from .choices import Status
from .models import Hazard, RiskEntry

ORDER = 50


def png_bytes(width=160, height=120, rgb=(200, 80, 60)) -> bytes:
    """A small solid-colour PNG, so that demo photos show something."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def photo(name, rgb):
    return SimpleUploadedFile(name, png_bytes(rgb=rgb), content_type="image/png")


# unit code, kind, name, area, level, count, address, lat, lon, department, measures
REGISTERS = [
    ("500103003", "group", "独居老人", "elderly", "orange", 126, "", None, None, "", "网格员每周上门探访"),
    ("500103003", "vulnerable", "留守儿童", "children", "yellow", 34, "", None, None, "", "结对帮扶，假期托管"),
    ("500103003", "place", "解放碑步行街人员密集区", "public_place", "red", None, "解放碑步行街",
     "29.557800", "106.577100", "", "节假日限流，设置应急通道"),
    ("500103003", "source", "较场口加油站", "fire", "orange", None, "较场口", "29.552000", "106.573800", "GA",
     "双人巡检，消防器材每月检查"),
    ("500103001", "group", "残疾人", "home", "yellow", 58, "", None, None, "", "无障碍改造"),
    ("500103001", "vulnerable", "低保困难家庭", "home", "blue", 41, "", None, None, "", "入户安全检查"),
    ("500103001", "place", "七星岗滑坡隐患点", "disaster_env", "red", None, "中山一路边坡", "29.556100",
     "106.564200", "", "专业监测，雨季每日巡查"),
    ("500103001", "source", "民用燃气调压站", "fire", "yellow", None, "通远门", "29.558300", "106.566900", "GA",
     "燃气公司每日巡检"),
    ("500106001", "group", "独居老人", "elderly", "orange", 203, "", None, None, "", "智能烟感安装"),
    ("500106001", "vulnerable", "留守儿童", "children", "yellow", 27, "", None, None, "", "课后托管"),
    ("500106001", "place", "小龙坎老街建筑工地", "workplace", "orange", None, "小龙坎正街", "29.562300",
     "106.463800", "", "围挡封闭，夜间禁止施工"),
    ("500106001", "place", "嘉陵江滨江步道", "water", "yellow", None, "嘉陵江边", "29.570200", "106.459100", "",
     "设置警示牌和救生圈"),
    ("500106001", "source", "烟花爆竹临时储存点", "fire", "red", None, "小龙坎新街", "29.560500", "106.466300",
     "GA", "专人看管，限量储存"),
]

# reporter, unit, address, area, grade, days ago found, target status, overdue?, description, department
HAZARDS = [
    ("jiefangbei_worker", "500103003", "解放碑步行街 8 号商场消防通道", "fire", "general", 3, "reported", False,
     "消防通道堆放货物，影响疏散。", ""),
    ("jiefangbei_worker", "500103003", "民族路 112 号老旧电线", "fire", "general", 20, "assigned", False,
     "居民楼外墙电线老化裸露。", "GA"),
    ("jiefangbei_worker", "500103003", "邹容路人行道井盖松动", "traffic", "general", 45, "rectifying", True,
     "井盖松动，行人易绊倒。", "GA"),
    ("yuzhong_admin", "500103003", "较场口加油站储罐区", "fire", "major", 60, "rectifying", False,
     "储罐区静电接地装置失效，需停业整改。", "GA"),
    ("qixinggang_worker", "500103001", "中山一路边坡挡墙开裂", "disaster_env", "major", 70, "awaiting", False,
     "挡墙出现裂缝，雨季有滑坡风险。", ""),
    ("qixinggang_worker", "500103001", "七星岗小学门口无减速带", "traffic", "general", 90, "closed", False,
     "学校门口车辆车速过快。", "GA"),
    ("qixinggang_worker", "500103001", "通远门公园健身器材损坏", "sports", "general", 35, "assigned", True,
     "单杠底座锈蚀松动。", ""),
    ("xiaolongkan_worker", "500106001", "小龙坎正街餐馆燃气软管老化", "fire", "general", 5, "reported", False,
     "多家餐馆燃气软管老化，未装报警器。", ""),
    ("xiaolongkan_worker", "500106001", "嘉陵江滨江步道护栏缺失", "water", "general", 40, "rectifying", True,
     "约 30 米护栏缺失，临水无警示。", ""),
    ("xiaolongkan_worker", "500106001", "小龙坎老街建筑工地塔吊", "workplace", "major", 50, "awaiting", False,
     "塔吊未按期检测，限位装置失灵。", "ZJ"),
    ("shapingba_admin", "500106001", "小龙坎新街电梯困人", "public_place", "general", 120, "closed", False,
     "小区电梯频繁困人，维保不到位。", "ZJ"),
]


POINTS = {
    "解放碑步行街 8 号商场消防通道": ("29.558200", "106.576600"),
    "邹容路人行道井盖松动": ("29.556400", "106.575200"),
    "较场口加油站储罐区": ("29.552100", "106.573900"),
    "中山一路边坡挡墙开裂": ("29.556000", "106.564000"),
    "嘉陵江滨江步道护栏缺失": ("29.570400", "106.459500"),
    "小龙坎老街建筑工地塔吊": ("29.562100", "106.463500"),
}


def build(*, stdout):
    users = {u.username: u for u in User.objects.filter(username__in=[
        "city_admin", "yuzhong_admin", "shapingba_admin", "jiefangbei_worker", "qixinggang_worker",
        "xiaolongkan_worker"])}
    if len(users) < 6:
        stdout.write("hazards: demo users missing, skipped")
        return
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["500103003", "500103001", "500106001"])}
    areas = {a.code: a for a in CodeItem.objects.of("safety_area")}
    depts = {d.code: d for d in Department.objects.all()}
    today = services.local_today()
    district_admin = {"500103": users["yuzhong_admin"], "500106": users["shapingba_admin"]}
    worker = {"500103003": users["jiefangbei_worker"], "500103001": users["qixinggang_worker"],
              "500106001": users["xiaolongkan_worker"]}

    entries = 0
    for code, kind, name, area, level, count, address, lat, lon, dept, measures in REGISTERS:
        if RiskEntry.objects.filter(org_unit=units[code], kind=kind, name=name).exists():
            continue
        services.risk_entry_save(
            actor=worker[code], org_unit=units[code], kind=kind, name=name, safety_area=areas[area],
            risk_level=level, count=count, address=address, latitude=Decimal(lat) if lat else None,
            longitude=Decimal(lon) if lon else None, department=depts.get(dept), measures=measures,
            last_reviewed_on=today - timedelta(days=30), description="",
        )
        entries += 1

    made = 0
    order = ["reported", "assigned", "rectifying", "awaiting", "closed"]
    for reporter, code, address, area, grade, ago, target, overdue, description, dept in HAZARDS:
        unit = units[code]
        if Hazard.objects.filter(org_unit=unit, address=address).exists():
            continue
        found = today - timedelta(days=ago)
        district = district_admin[unit.parent.code]
        rectifier = worker[code]
        h = services.hazard_report(actor=users[reporter], org_unit=unit, address=address, safety_area=areas[area],
                                   description=description, grade=grade, finder=str(users[reporter]),
                                   found_on=found, photos=[photo("现场照片.png", (190, 70, 60))],
                                   latitude=Decimal(POINTS[address][0]) if address in POINTS else None,
                                   longitude=Decimal(POINTS[address][1]) if address in POINTS else None)
        steps = order[1: order.index(target) + 1]
        for step in steps:
            if step == "assigned":
                h = services.hazard_assign(hazard=h, actor=district, responsible_unit=unit,
                                           department=depts.get(dept), note="请按期整改并上传整改照片。")
            elif step == "rectifying":
                h = services.hazard_start(hazard=h, actor=rectifier, note="已制定整改方案。")
            elif step == "awaiting":
                h = services.hazard_submit(hazard=h, actor=rectifier, measures="已按方案完成整改，现场复查无问题。",
                                           cost=Decimal("3500.00"), photos=[photo("整改后.png", (70, 150, 90))])
            elif step == "closed":
                h = services.hazard_accept(hazard=h, actor=district, note="现场验收合格，予以销号。")
        # Back-date the record so the demo has history: found `ago` days ago, deadline from then.
        if "assigned" in steps:
            deadline = found + timedelta(days=15 if grade == "general" else 90)
            if overdue:
                deadline = min(deadline, today - timedelta(days=5))
            elif target != "closed":
                deadline = max(deadline, today + timedelta(days=10))
            updates = {"deadline": deadline}
            if target == "closed":
                closed_on = min(found + timedelta(days=12), today)
                updates.update(closed_on=closed_on)
            Hazard.objects.filter(pk=h.pk).update(**updates)
        made += 1

    major = Hazard.objects.filter(org_unit=units["500103003"], address="较场口加油站储罐区").first()
    if major and not major.is_supervised and major.status != Status.CLOSED:
        services.hazard_supervise(hazard=major, actor=users["city_admin"], supervisor="市安委办 张主任",
                                  note="挂牌督办，限期整改。")
    result = services.hazards_overdue_notify()
    stdout.write(f"hazards: {entries} register entries, {made} hazards, {result['overdue']} overdue")
