"""Reading a sheet row by row (core.excel.read_sheet): a large workbook or any CSV file is
streamed — memory does not grow with its length —, a small workbook is read whole by calamine,
and both give the same cells; the worker's limits apply only where a worker reads the file."""

import csv
import tracemalloc
from datetime import date, datetime

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError

from safecommunity.core.excel import cell_text, check_workbook, import_limits, read_sheet
from safecommunity.core.testing import sheet_xlsx

ROWS = 50_000


def _row(i):
    # Text from small sets (a sheet's shared strings stay few), numbers of every row its own.
    return [f"500103{i % 900:03d}", "2025-03-01", i % 90, "男", "居家安全", "跌倒/坠落", f"张{i % 500}号", i * 7, i, "家中"]


@pytest.fixture(scope="module")
def big_xlsx(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "big.xlsx"
    book = xlsxwriter.Workbook(str(path))  # text in a shared-string table, as Excel saves it
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [f"col{c}" for c in range(10)])
    for i in range(ROWS):
        sheet.write_row(i + 1, 0, _row(i))
    book.close()
    return path


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "big.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([f"col{c}" for c in range(10)])
        writer.writerows(_row(i) for i in range(ROWS))
    return path


def _peak(path, keep: bool) -> int:
    """The most memory Python allocated while the rows were read (the file opened and checked
    before: the guard reads it in chunks of a megabyte whatever its length)."""
    with open(path, "rb") as fh, read_sheet(fh, path.name) as sheet:
        assert sheet.streamed
        tracemalloc.start()
        try:
            if keep:
                rows = list(sheet.rows)
            else:
                rows = [sum(1 for _row in sheet.rows)]
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert len(rows) == ROWS or rows == [ROWS]


@pytest.mark.parametrize("name", ["big_xlsx", "big_csv"])
def test_a_long_file_is_read_without_holding_its_rows(name, request, settings):
    settings.IMPORT_IN_MEMORY_MAX_ROWS = 1000  # this workbook is "large": streamed
    path = request.getfixturevalue(name)
    with read_sheet(sheet_xlsx(rows=5000), "warm-up.xlsx") as sheet:  # the readers' modules imported first
        assert sheet.streamed and len(list(sheet.rows)) == 4999
    streamed, held = _peak(path, keep=False), _peak(path, keep=True)
    # Holding the 50,000 rows takes megabytes; streaming them a small fraction of it.
    assert held > 5_000_000
    assert streamed < held / 4, (streamed, held)


def test_small_workbooks_are_read_whole_and_both_readers_agree(big_xlsx, settings):
    with open(big_xlsx, "rb") as fh, read_sheet(fh, "big.xlsx") as whole:
        assert not whole.streamed and whole.total == ROWS
        whole_rows = [[cell_text(c) for c in r] for r in whole.rows]
    settings.IMPORT_IN_MEMORY_MAX_ROWS = 1000
    with open(big_xlsx, "rb") as fh, read_sheet(fh, "big.xlsx") as streamed:
        assert streamed.streamed and streamed.total == ROWS
        assert streamed.header == [f"col{c}" for c in range(10)]
        assert [[cell_text(c) for c in r] for r in streamed.rows] == whole_rows
    assert whole_rows[-1] == [str(v) for v in _row(ROWS - 1)]


def test_csv_rows_keep_their_numbers_and_encodings_are_recognised():
    text = "单位编码,姓名\n500103003,张三\n\n500103001,李四\n"
    for encoding in ("utf-8-sig", "gb18030", "utf-16"):
        with read_sheet(text.encode(encoding), "x.csv") as sheet:
            assert sheet.header == ["单位编码", "姓名"]
            assert list(sheet.rows) == [["500103003", "张三"], [], ["500103001", "李四"]]  # the blank row kept
            assert sheet.total == 3
    with read_sheet(b"a\tb\n1\t2", "tabs.csv") as sheet:
        assert sheet.header == ["a", "b"] and list(sheet.rows) == [["1", "2"]]


def test_a_file_no_reader_can_open_is_refused_with_a_message():
    for data, name in ((b"PK\x03\x04 broken zip", "x.xlsx"), (b"hello", "x.txt")):
        with pytest.raises(ValidationError) as exc:
            read_sheet(data, name)
        assert "x." in exc.value.message_dict["file"][0]


def test_worker_limits_apply_only_where_a_worker_reads_the_file(settings):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_WORKER_MAX_ROWS = 100, 1000
    data = sheet_xlsx(rows=300, dimension="A1:B300")
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker: the task runs in the request
    assert import_limits(worker=True)["rows"] == 100
    with pytest.raises(ValidationError):
        check_workbook(data, "x.xlsx", worker=True)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert import_limits(worker=True)["rows"] == 1000 and import_limits()["rows"] == 100
    check_workbook(data, "x.xlsx", worker=True)
    with pytest.raises(ValidationError):
        check_workbook(data, "x.xlsx")


def test_cell_text_reads_a_cell_as_typed():
    assert [cell_text(v) for v in (None, " 张三 ", 12.0, 12.5, 7, datetime(2025, 3, 1, 8, 30), date(2025, 3, 1))] == [
        "", "张三", "12", "12.5", "7", "2025-03-01 08:30", "2025-03-01"]
