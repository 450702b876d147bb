"""Demo data: patrol points of the demo streets with a few patrols (one too far, one outside the
window, one point missed). Idempotent."""

import datetime
from decimal import Decimal

from django.utils import timezone

from safecommunity.accounts.models import User
from safecommunity.orgunits.models import OrgUnit

from . import services
from .models import PatrolPoint

ORDER = 60

# unit code, worker, name, place, lat, lon, checklist, every days
POINTS = [
    ("500103003", "jiefangbei_worker", "步行街消防通道", "解放碑步行街 8 号", "29.557800", "106.577100",
     "消防通道畅通无占用\n灭火器在位且压力正常\n应急照明完好", 1),
    ("500103003", "jiefangbei_worker", "较场口加油站周边", "较场口", "29.552000", "106.573800",
     "周边无违规用火\n警示标志完好", 7),
    ("500103001", "qixinggang_worker", "中山一路边坡", "中山一路边坡", "29.556100", "106.564200",
     "坡面无新裂缝\n排水沟通畅\n警示牌完好", 3),
    ("500106001", "xiaolongkan_worker", "嘉陵江滨江步道", "嘉陵江边", "29.570200", "106.459100",
     "救生圈在位\n护栏完好\n警示牌完好", 7),
]


def build(*, stdout):
    workers = {u.username: u for u in User.objects.filter(username__in={p[1] for p in POINTS})}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={p[0] for p in POINTS})}
    if len(workers) < 3 or len(units) < 3:
        stdout.write("patrols: demo users or units missing, skipped")
        return
    now = timezone.now()
    made = 0
    for code, username, name, place, lat, lon, checklist, every in POINTS:
        if PatrolPoint.objects.filter(org_unit=units[code], name=name).exists():
            continue
        worker = workers[username]
        point = services.point_save(actor=worker, org_unit=units[code], name=name, place=place,
                                    latitude=Decimal(lat), longitude=Decimal(lon), checklist=checklist,
                                    every_days=every, window_start=datetime.time(8), window_end=datetime.time(18))
        PatrolPoint.objects.filter(pk=point.pk).update(created_at=now - datetime.timedelta(days=20))
        made += 1
        if name == "中山一路边坡":
            continue  # never patrolled: missed
        answers = [{"item": i, "ok": True} for i in point.items]
        local = timezone.localtime(now).replace(hour=10, minute=0)
        services.patrol_record(actor=worker, point=point, answers=answers, latitude=lat, longitude=lon,
                               at=local - datetime.timedelta(days=2))
        if name == "步行街消防通道":
            services.patrol_record(actor=worker, point=point, answers=answers, latitude="29.566000",
                                   longitude="106.577100", at=local.replace(hour=21) - datetime.timedelta(days=1),
                                   note="夜间补巡")
    stdout.write(f"patrols: {made} patrol points")
