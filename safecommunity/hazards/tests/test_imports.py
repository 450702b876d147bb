"""Excel import of register entries: all rows or none, errors by row and column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safecommunity.core.excel import workbook_bytes
from safecommunity.hazards.imports import columns, risk_entries_import
from safecommunity.hazards.models import RiskEntry

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=None):
    headers = headers or [str(h) for _k, h in columns()]
    return SimpleUploadedFile("registers.xlsx", workbook_bytes([("Sheet", headers, rows)]))


GOOD = [
    ["高风险人群", "500103003", "独居老人", "老年人安全", "橙色", "126", "", "", "", "", "每周探访", "2026-03-01"],
    ["重大危险源", "500103003", "加油站", "fire", "red", "", "较场口", "29.552", "106.5738", "公安", "", ""],
]


def test_good_rows_are_all_saved(unit_a):
    result = risk_entries_import(actor=unit_a, uploaded=xlsx(GOOD))
    assert result.errors == [] and result.created == 2
    source = RiskEntry.objects.get(kind="source")
    assert source.department.code == "GA" and source.risk_level == "red" and str(source.latitude) == "29.552000"
    group = RiskEntry.objects.get(kind="group")
    assert group.count == 126 and group.risk_level == "orange" and group.last_reviewed_on.isoformat() == "2026-03-01"


def test_one_bad_row_saves_nothing_and_names_row_and_column(unit_a):
    bad = [
        *GOOD,
        ["高风险场所", "500103003", "江边", "涉水安全", "黄色", "", "江边", "", "", "", "", ""],  # no map point
        ["高风险人群", "500106001", "独居老人", "老年人安全", "蓝色", "3", "", "", "", "", "", ""],  # other district
        ["火星", "500103003", "x", "不存在", "紫色", "", "", "abc", "", "", "", "2026-13-45"],
    ]
    result = risk_entries_import(actor=unit_a, uploaded=xlsx(bad))
    assert result.created == 0 and not RiskEntry.objects.exists()
    assert len(result.errors) == 3
    assert result.errors[0].startswith("第 4 行") and "纬度" in result.errors[0]
    assert "第 5 行" in result.errors[1] and "创建单位代码" in result.errors[1]
    assert "台账类别" in result.errors[2] and "安全领域" in result.errors[2] and "最近复核日期" in result.errors[2]


def test_missing_columns_and_unreadable_files(unit_a):
    result = risk_entries_import(actor=unit_a, uploaded=xlsx([["x"]], headers=["名称"]))
    assert "台账类别" in result.errors[0]
    result = risk_entries_import(actor=unit_a, uploaded=SimpleUploadedFile("a.xlsx", b"not excel"))
    assert result.errors and not RiskEntry.objects.exists()


def test_import_page(client_for, unit_a, dept_ga):
    url = reverse("hazards:risk_import")
    client = client_for(unit_a)
    assert client.get(url).status_code == 200
    assert client.get(url + "?template=1")["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(dept_ga).get(url).status_code == 403
    response = client.post(url, {"file": xlsx([GOOD[0], ["?", "", "", "", "", "", "", "", "", "", "", ""]])})
    assert response.status_code == 200 and "第 3 行" in response.content.decode()
    assert not RiskEntry.objects.exists()
    assert client.post(url, {"file": xlsx(GOOD)}).status_code == 302
    assert RiskEntry.objects.count() == 2
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b")})
    assert "file" in response.context["form"].errors


def test_the_template_imports_back(unit_a):
    from safecommunity.hazards.imports import template_bytes

    result = risk_entries_import(actor=unit_a, uploaded=SimpleUploadedFile("t.xlsx", template_bytes()))
    assert result.errors == [] and result.created == 1


def test_a_file_from_the_earlier_template_keeps_its_addresses(unit_a):
    """Templates downloaded before the hazards catalogue's own word headed the address column
    地址; such a file still imports its addresses rather than dropping them."""
    headers = [str(h) for _k, h in columns()]
    assert "地点" in headers
    old_headers = ["地址" if h == "地点" else h for h in headers]
    result = risk_entries_import(actor=unit_a, uploaded=xlsx([GOOD[1]], headers=old_headers))
    assert result.errors == [] and RiskEntry.objects.get().address == "较场口"
