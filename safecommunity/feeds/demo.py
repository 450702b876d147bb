"""Demo data: hospital exports of 渝中区 imported by the district office (one hospital, then a
second one that reports some of the same patients), a file waiting in preview for 解放碑街道,
a push of 沙坪坝区, and a push token. Idempotent: nothing is done once demo uploads exist."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safecommunity.accounts.models import User
from safecommunity.core.models import CodeItem
from safecommunity.injuries.models import ReportingSource
from safecommunity.orgunits.models import OrgUnit

from . import push, services
from . import samples as cardfiles
from .models import FeedToken, FeedUpload

ORDER = 50
HOSPITAL_A = "重庆市第一人民医院（哨点）"
HOSPITAL_B = "渝中区中医院（哨点）"
HOSPITAL_C = "沙坪坝区人民医院（哨点）"


def _source(unit_code, name):
    kind = CodeItem.objects.get(codelist__key="injury_source_kind", code="hospital")
    source, _ = ReportingSource.objects.get_or_create(org_unit=OrgUnit.objects.get(code=unit_code), name=name,
                                                      defaults={"kind": kind})
    return source


def build(*, stdout):
    if FeedUpload.objects.exists() or not OrgUnit.objects.filter(code="500103003").exists():
        return
    yuzhong = User.objects.filter(username="yuzhong_admin").first()
    jiefangbei = User.objects.filter(username="jiefangbei_worker").first()
    shapingba = User.objects.filter(username="shapingba_admin").first()
    if not (yuzhong and jiefangbei and shapingba):
        return
    start = timezone.localdate() - timedelta(days=330)
    towns = ["解放碑街道", "七星岗街道", "大溪沟街道", "朝天门街道", "上清寺街道"]
    addresses = [f"重庆市渝中区{t}" for t in towns] + ["渝中区解放碑", "重庆市江北区观音桥街道"]
    a = _source("500103003", HOSPITAL_A)
    b = _source("500103001", HOSPITAL_B)
    c = _source("500106001", HOSPITAL_C)
    rows = cardfiles.clean_rows(240, prefix="YZ1-", seed=11, start=start, addresses=addresses)
    rows += [cardfiles.row(card="YZ1-BAD1", age="不详", occurred=f"{start:%Y-%m-%d} 10:00", visit=f"{start:%Y-%m-%d}"),
             cardfiles.row(card="YZ1-BAD2", cause="摔了一跤", occurred=f"{start:%Y/%m/%d}", visit=f"{start:%Y/%m/%d}")]
    first = _analysed(yuzhong, services.upload_create(actor=yuzhong, source=a, uploaded=SimpleUploadedFile(
        "市第一人民医院_伤害监测报告卡_导出.xlsx", cardfiles.xlsx_bytes(rows, title="全国伤害监测报告卡 导出"))))
    services.upload_import(actor=yuzhong, upload=first)
    second_rows = [list(r) for r in rows[:20]]
    for r in second_rows:
        r[0], r[1] = "H500103002", r[1].replace("YZ1-", "ZY-")
    second_rows += cardfiles.clean_rows(40, prefix="ZY-N", seed=12, start=start, addresses=addresses)
    second = _analysed(yuzhong, services.upload_create(actor=yuzhong, source=b, uploaded=SimpleUploadedFile(
        "渝中区中医院_2025.csv", cardfiles.csv_bytes(second_rows, encoding="gbk"))))
    services.upload_import(actor=yuzhong, upload=second)
    _analysed(jiefangbei, services.upload_create(actor=jiefangbei, source=a, uploaded=SimpleUploadedFile(
        "市第一人民医院_本月.xlsx", cardfiles.xlsx_bytes(cardfiles.clean_rows(
            25, prefix="YZ2-", seed=13, start=timezone.localdate() - timedelta(days=40),
            addresses=["重庆市渝中区解放碑街道", "解放碑"], days=35)))))
    token, _key = push.token_issue(actor=shapingba, source=c, name="沙坪坝区人民医院 HIS")
    push.push(token=token, cases=[
        {"卡片编号": f"SPB-{i}", "姓名": f"病人{i}", "年龄": f"{20 + i}岁", "性别": "男" if i % 2 else "女",
         "伤者现住址": "重庆市沙坪坝区小龙坎街道" if i % 5 else "重庆市沙坪坝区渝碚路街道",
         "伤害发生时间": f"{start + timedelta(days=i * 7):%Y-%m-%d} 09:00", "就诊日期": f"{start + timedelta(days=i * 7):%Y-%m-%d}",
         "原因": "机动车车祸" if i % 3 else "跌倒/坠落", "地点": "公路/街道", "活动": "步行", "意图": "非故意",
         "严重程度": "中", "结局": "住院" if i % 4 else "处理后离院"} for i in range(30)])
    stdout.write(f"  feeds: {FeedUpload.objects.count()} uploads, {FeedToken.objects.count()} push token")


def _analysed(actor, upload):
    """The demo does not wait for a worker: the file is analysed in place (its job, when a worker
    runs it, finds the analysis done)."""
    return services.upload_analyse(actor=actor, upload=upload)
