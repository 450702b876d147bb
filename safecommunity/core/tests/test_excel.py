"""The shared Excel export (core.excel): what a user finds when opening the file."""

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from safecommunity.core.excel import workbook_bytes


def _book(sheets):
    return load_workbook(io.BytesIO(workbook_bytes(sheets)))


def test_text_that_looks_like_a_formula_or_a_link_stays_text():
    """A hazard titled "=HYPERLINK(...)" must not become a live formula in the export."""
    ws = _book([("清单", ["标题", "链接"], [["=HYPERLINK(\"http://x\",\"点我\")", "http://example.org"],
                                            ["=1+1", "+86 138"]])])["清单"]
    assert [c.value for c in ws[2]] == ["=HYPERLINK(\"http://x\",\"点我\")", "http://example.org"]
    assert ws["A2"].data_type == "s" and ws["A3"].data_type == "s" and ws["A3"].value == "=1+1"
    assert ws["B3"].value == "+86 138" and not ws["B2"].hyperlink


def test_values_keep_their_kind_and_the_header_row_is_marked():
    aware = datetime(2026, 3, 4, 0, 30, tzinfo=UTC)  # 08:30 in Chongqing
    ws = _book([("数据", ["日期", "时间", "数量", "是否", "空"],
                 [[date(2026, 3, 4), aware, 12, True, None], [date(2026, 3, 5), None, 2.5, False, ""]])])["数据"]
    assert [c.value for c in ws[1]] == ["日期", "时间", "数量", "是否", "空"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert ws["A2"].value == datetime(2026, 3, 4) and ws["A2"].number_format == "yyyy-mm-dd"
    assert ws["B2"].value == datetime(2026, 3, 4, 8, 30) and ws["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert (ws["C2"].value, ws["D2"].value, ws["D3"].value, ws["C3"].value) == (12, "是", "否", 2.5)
    assert ws["E2"].value is None and ws["B3"].value is None


def test_sheet_names_are_made_acceptable_to_excel_and_unique():
    long = "渝中区" * 12
    book = _book([("a/b:c?", ["x"], [[1]]), (long, ["x"], [[2]]), (long, ["x"], [[3]]), ("", ["x"], [])])
    names = book.sheetnames
    assert names[0] == "a_b_c_" and len(names[1]) == 31 and names[1] != names[2] and len(names[2]) <= 31
    assert names[3] == "Sheet" and book[names[2]]["A2"].value == 3
