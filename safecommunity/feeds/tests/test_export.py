"""The CDC's quarterly export in the card layout (.xlsx, .csv UTF-8 and GBK): the user's records
of the quarter, personal fields per the user's rights, and — imported back through the feeds —
the same figures (a round trip)."""

import io
import random
from collections import Counter
from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.core.models import CodeItem
from safecommunity.core.testing import fetch_file
from safecommunity.feeds import card, export, services
from safecommunity.injuries import choices
from safecommunity.injuries.models import InjuryRecord, InjuryStat
from safecommunity.injuries.services import stats_rebuild

Q2 = (date(2025, 4, 1), date(2025, 6, 30))
FACTS = ("org_unit_id", "occurred_on__month", "safety_area__code", "age_band", "sex", "mechanism__code", "place__code",
         "activity__code", "intent__code", "nature__code", "body_part__code", "severity__code", "outcome__code")


def _codes(key):
    return list(CodeItem.objects.of(key).order_by("sort_order"))


@pytest.fixture
def quarter(tree, hospitals):
    """60 cases of 渝中区 in the second quarter of 2025 with every kind of value, one of 沙坪坝区,
    and one of 渝中区 in July (another quarter)."""
    rnd = random.Random(5)
    lists = {f: _codes(k) for f, k in (("safety_area", choices.SAFETY_AREA), ("place", choices.PLACE),
                                       ("activity", choices.ACTIVITY), ("mechanism", choices.MECHANISM),
                                       ("intent", choices.INTENT), ("nature", choices.NATURE),
                                       ("body_part", choices.BODY_PART))}
    severities = [i for i in _codes(choices.SEVERITY) if i.code != "death"]
    outcomes = [i for i in _codes(choices.OUTCOME) if i.code != "death"]
    death_sev = CodeItem.objects.get(codelist__key=choices.SEVERITY, code="death")
    death_out = CodeItem.objects.get(codelist__key=choices.OUTCOME, code="death")
    made = []

    def make(unit, day, source, i):
        dead = i % 9 == 0
        r = InjuryRecord(
            org_unit=unit, occurred_on=day, occurred_time=None if i % 4 == 0 else time(rnd.randrange(24), rnd.randrange(60)),
            age=rnd.choice([0, 3, 15, 40, 67, 90]), sex=rnd.choice("MFU"), source=source,
            severity=death_sev if dead else rnd.choice(severities), outcome=death_out if dead else rnd.choice(outcomes),
            **{f: (rnd.choice(items) if f not in ("nature", "body_part") or i % 5 else None) for f, items in lists.items()})
        r.age_band = choices.age_band(r.age)
        if i % 3 == 0:
            r.set_personal(name=f"病人{i}", id_number="", phone=f"1380000{i:04d}")
        r.save()
        return r

    for i in range(60):
        unit = tree["500103003"] if i % 2 else tree["500103001"]
        source = hospitals["a"] if i % 2 else hospitals["a2"]
        made.append(make(unit, Q2[0] + timedelta(days=rnd.randrange(91)), source, i))
    make(tree["500106001"], date(2025, 5, 5), hospitals["b"], 1)
    make(tree["500103003"], date(2025, 7, 1), hospitals["a"], 2)
    stats_rebuild()
    return made


def _facts(records) -> Counter:
    return Counter(records.values_list(*FACTS))


def _stats():
    return Counter({(u, y, d, k): n for u, y, d, k, n in InjuryStat.objects.values_list(
        "org_unit_id", "year", "dimension", "key", "count")})


@pytest.mark.parametrize(("fmt", "encoding"), [("xlsx", "utf-8"), ("csv", "utf-8"), ("csv", "gbk")])
def test_an_export_imported_back_gives_identical_aggregates(quarter, district_a, hospitals, fmt, encoding):
    data = export.export_bytes(district_a, year=2025, quarter=2, fmt=fmt, encoding=encoding)
    if fmt == "csv" and encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    _n, headers, found, rows = card.open_table(data, f"x.{fmt}")
    rows = list(rows)
    assert headers == export.HEADERS and len(rows) == 60  # the quarter, the district's only
    assert headers[:19] == ["医院编号", "卡片编号", "身份证", "姓名", "年龄", "性别", "伤者现住址", "联系电话", "就诊日期",
                            "伤害发生时间", "原因", "地点", "活动", "意图", "性质", "部位", "严重程度", "临床诊断", "结局"]
    names = {r[headers.index("姓名")] for _n, r in rows} - {""}
    assert names and all("*" in n for n in names)  # a district may not see the names
    assert set(r[headers.index("严重程度")] for _n, r in rows) <= {"轻度", "中度", "重度", "仅需急救处置"}

    originals = InjuryRecord.objects.filter(pk__in=[r.pk for r in quarter])
    before = _stats()
    upload = services.upload_create(actor=district_a, source=hospitals["a"],
                                    uploaded=SimpleUploadedFile(f"cdc.{fmt}", data))
    assert (upload.rows_read, upload.rows_ready, upload.rows_problem, upload.rows_unplaced) == (60, 60, 0, 0), (
        upload.summary["problems"][:5])
    services.upload_import(actor=district_a, upload=upload)
    back = InjuryRecord.objects.filter(feed_case__upload=upload)
    assert _facts(back) == _facts(originals)
    after = _stats()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {
        k: v for k, v in _stats_of(originals).items()}


def _stats_of(records) -> Counter:
    """What the records add to the summary table (its own function: injuries.services.stat_counts)."""
    from safecommunity.injuries.services import stat_counts

    counts = Counter()
    stat_counts(((r.org_unit_id, r.occurred_on, r.safety_area_id, r.age_band, r.sex, r.mechanism_id, r.severity_id)
                 for r in records), counts)
    return counts


def test_the_recording_unit_sees_its_personal_fields_others_masked(quarter, unit_a, district_a, city_admin):
    def cells(user):
        data = export.export_bytes(user, year=2025, quarter=2, fmt="csv")
        _n, headers, _f, rows = card.open_table(data, "x.csv")
        return headers, [r for _n, r in rows]

    headers, rows = cells(unit_a)
    name = headers.index("姓名")
    assert len(rows) == 30 and "病人3" in {r[name] for r in rows}  # its own cases, names in clear
    for user in (district_a, city_admin):
        headers, rows = cells(user)
        assert all("*" in r[name] for r in rows if r[name]) and "病人3" not in {r[name] for r in rows}
    assert len(cells(city_admin)[1]) == 61


def test_export_page(quarter, district_a, district_b, dept_ga, expert, client_for):
    client = client_for(district_a)
    page = client.get("/feeds/export/")
    assert page.status_code == 200 and "quarter" in page.context["form"].fields
    started = client.get("/feeds/export/", {"year": 2025, "quarter": 2, "fmt": "csv", "encoding": "gbk"})
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")  # made by a job (core.jobs)
    response = fetch_file(client, "/feeds/export/?year=2025&quarter=2&fmt=csv&encoding=gbk")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("gb18030")
    assert text.startswith("医院编号,卡片编号") and text.count("\n") == 61
    response = fetch_file(client, "/feeds/export/?year=2025&quarter=2&fmt=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert ws.max_row == 61 and ws.cell(1, 7).value == "伤者现住址"
    assert b"".join(fetch_file(client_for(district_b), "/feeds/export/?year=2025&quarter=2&fmt=csv").streaming_content
                    ).decode("utf-8-sig").count("\n") == 2  # 沙坪坝区: its one case
    bad = client.get("/feeds/export/", {"year": 2025, "quarter": 5, "fmt": "csv"})
    assert bad.status_code == 200 and "quarter" in bad.context["form"].errors
    assert client_for(dept_ga).get("/feeds/export/").status_code == 403
    assert client_for(expert).get("/feeds/export/").status_code == 403
