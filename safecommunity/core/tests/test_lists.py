"""The generic list: pager, page size and 导出 keep the filters the list was reached with, before
and after the user presses 查询 (the links once read `??page=2` and dropped everything)."""

import io
import re
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.django_db


def _links(html: str, label_pattern: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in re.findall(r'href="([^"]*)"[^>]*>\s*' + label_pattern, html)]


@pytest.fixture
def hazards(district_a):
    from safecommunity.hazards.tests.factories import report

    for i in range(23):
        report(district_a, address=f"民族路 {i} 号")
    for i in range(4):
        report(district_a, address=f"五一路 {i} 号", grade="major")


def _rows(response) -> int:
    return response.content.decode().count('<tr>') - 1  # the header row


def test_pager_and_export_keep_the_filter(client_for, district_a, hazards):
    client = client_for(district_a)
    first = client.get("/hazards/?grade=general")
    html = first.content.decode()
    assert "第 1 / 2 页" in html
    page2 = _links(html, "2<")
    assert page2 == ["?grade=general&page=2"]
    second = client.get("/hazards/" + page2[0])
    assert "第 2 / 2 页" in second.content.decode()
    assert _rows(second) == 3

    export = _links(html, r'<i class="bi bi-file-earmark-excel">')
    assert export == ["?grade=general&export=xlsx"]
    response = client.get("/hazards/" + export[0])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                              if response.streaming else response.content)).active
    data_rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert sum("民族路" in " ".join(str(c) for c in r if c) for r in data_rows) == 23
    assert not any("五一路" in " ".join(str(c) for c in r if c) for r in data_rows)


def test_unfiltered_list_pages_and_exports_before_search(client_for, district_a, hazards):
    client = client_for(district_a)
    html = client.get("/hazards/").content.decode()
    assert "??" not in html
    assert _links(html, "2<") == ["?page=2"]
    second = client.get("/hazards/?page=2")
    assert "第 2 / 2 页" in second.content.decode()
    assert _rows(second) == 7
    # page size keeps the filter too
    html = client.get("/hazards/?grade=general&page_size=10").content.decode()
    assert _links(html, "2<") == ["?grade=general&page_size=10&page=2"]


def test_no_template_writes_a_question_mark_before_querystring():
    root = Path(__file__).resolve().parents[2]
    offenders = [str(p) for p in root.rglob("*.html") if '?{% querystring' in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_small_list_says_its_exact_total(client_for, district_a, hazards):
    html = client_for(district_a).get("/hazards/").content.decode()
    assert "共 27 条记录" in html
    assert "约" not in re.search(r'<span[^>]*sc-total[^>]*>([^<]*)<', html).group(1)


def test_huge_list_says_about_and_keeps_paging(client_for, district_a, hazards, monkeypatch):
    """Above the threshold PostgreSQL's planner estimate stands for the total (约 N 条), with a
    hint why; the rows and the pager still work. On SQLite the total stays exact."""
    from django.db import connection

    from safecommunity.core import views

    monkeypatch.setattr(views, "ESTIMATE_ABOVE", 0)  # the planner never expects < 1 row
    client = client_for(district_a)
    html = client.get("/hazards/").content.decode()
    total = re.search(r'<span[^>]*sc-total[^>]*>([^<]*)<', html).group(1)
    if connection.vendor == "postgresql":
        assert total.startswith("约 ") and total.endswith(" 条记录")
        assert "总数为数据库估算值" in html
    else:
        assert total == "共 27 条记录"
    assert _rows(client.get("/hazards/?page=2")) == 7


@pytest.mark.django_db
def test_an_empty_queryset_has_no_estimate_and_counts_zero():
    """A search form in error or a role that sees nothing gives the list .none(): the total is 0,
    never an error from reading a plan that PostgreSQL was not asked to make."""
    from safecommunity.core.views import EstimatedCountPaginator, planner_rows
    from safecommunity.orgunits.models import OrgUnit

    assert planner_rows(OrgUnit.objects.none()) == 0
    paginator = EstimatedCountPaginator(OrgUnit.objects.none().order_by("pk"), 20)
    assert paginator.count == 0 and not paginator.estimated and list(paginator.page(1)) == []
