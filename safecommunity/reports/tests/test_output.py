import pytest

from safecommunity.core import pdf
from safecommunity.reports import output
from safecommunity.reports.selectors import recent_steps

pytestmark = pytest.mark.django_db


def test_the_pdf_embeds_the_chinese_ttf(submitted):
    pdf._chinese_font.cache_clear()
    response = output.report_pdf(submitted, list(recent_steps(submitted)))
    assert response.content.startswith(b"%PDF")
    assert pdf.chinese_font() == "WQY"
    assert b"WenQuanYiMicroHei" in response.content


def test_without_the_ttf_the_pdf_falls_back_to_the_builtin_cid_font(submitted, monkeypatch):
    monkeypatch.setattr(pdf, "TTF", pdf.Path("/nonexistent/font.ttc"))
    pdf._chinese_font.cache_clear()
    try:
        response = output.report_pdf(submitted, list(recent_steps(submitted)))
        assert response.content.startswith(b"%PDF")
        assert pdf.chinese_font() == "STSong-Light"
        assert b"STSong-Light" in response.content
    finally:
        pdf._chinese_font.cache_clear()


def test_the_excel_of_a_report_holds_its_figures_narrative_and_steps(submitted):
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(output.report_xlsx(submitted, list(recent_steps(submitted))).content))
    assert wb.sheetnames == ["月报", "数据", "审核记录"]
    values = [c for row in wb["月报"].iter_rows(values_only=True) for c in row]
    assert "开展消防宣传两次" in values
    figures = dict(wb["数据"].iter_rows(min_row=2, values_only=True))
    assert figures["Hazards found"] == 5
