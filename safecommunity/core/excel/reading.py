"""Reading a sheet row by row: every import reads its file through here (`read_sheet`), and reads a
cell as text with `cell_text`."""

import csv
import io
import os
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .guard import _CFB_MAGIC, _CHUNK, _ZIP_MAGIC, check_workbook, import_limits


def cell_text(value) -> str:
    """A spreadsheet or CSV cell as the text a person typed, the one reading of every import:
    None → "", 12.0 → "12", a date-time to the minute ("2025-03-01 08:30"), a date as
    "2025-03-01", anything else as text, trimmed."""
    if type(value) is str:  # most cells: first, without the other tests
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


class Sheet:
    """The first sheet of a workbook (or a CSV file) being read. `header`: the first row's cells;
    `total`: the data rows the file declares (the header row not counted; 0 when it declares none);
    `rows`: an iterator over the data rows — each a sequence of cell values (str, int, float,
    date, datetime, time, timedelta, bool or None), one per row of the sheet, blank rows
    included, so that the n-th (from 0) is row n + 2 of the sheet. A file that turns out broken
    part-way raises ValidationError from `rows`. Close it (or use it as a context manager)."""

    def __init__(self, header, total: int, rows, close=None, *, streamed: bool, unreadable: str):
        self.header, self.total, self.streamed = list(header or []), max(0, total), streamed
        self._rows, self._close, self._unreadable = rows, close, unreadable
        self.rows = self._guarded()

    def _guarded(self):
        try:
            yield from self._rows
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - readers raise their own types for a broken file
            raise ValidationError({"file": [self._unreadable]}) from exc

    def close(self):
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Borrowed(io.RawIOBase):
    """A binary file seen through a text reader that must not close it."""

    def __init__(self, fh):
        self._fh = fh

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._fh.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _csv_encoding(fh) -> str:
    """UTF-16 by its byte-order mark, else UTF-8 when the first megabyte reads as UTF-8, else
    GB18030 (Excel on a Chinese Windows saves CSV in GBK)."""
    start = fh.tell()
    head = fh.read(_CHUNK)
    fh.seek(start)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut by the end of the megabyte
            return "gb18030"
    return "utf-8-sig"


def _read_csv(fh, unreadable: str) -> Sheet:
    start = fh.tell()
    encoding = _csv_encoding(fh)
    sample = fh.read(4096)
    fh.seek(start)
    newline = "\n".encode("utf-16-be" if sample.startswith(b"\xfe\xff") else "utf-16-le") if encoding == "utf-16" else b"\n"
    lines, ended = 0, True
    while chunk := fh.read(_CHUNK):
        lines += chunk.count(newline)
        ended = chunk.endswith(newline)
    lines += not ended  # a last line without its line break
    fh.seek(start)
    text_ = io.TextIOWrapper(io.BufferedReader(_Borrowed(fh), _CHUNK), encoding=encoding, newline="")
    reader = csv.reader(text_, delimiter="\t" if sample.count(b"\t") > sample.count(b",") else ",")
    try:
        header = next(reader, [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ValidationError({"file": [unreadable]}) from exc
    return Sheet(header, lines - 1, reader, text_.detach, streamed=True, unreadable=unreadable)


def _streamed_rows(ws):
    """The rows of an openpyxl read-only worksheet as lists of values (blank rows as empty lists),
    read with openpyxl's own cell parser. Its own iteration (`iter_rows`) leaves every row element
    it has read in the parsed tree, cleared but attached — about 90 bytes a row, 90 MB for a
    million —, and keeps each row's attributes; here each row is dropped from the tree once read."""
    from openpyxl.worksheet._reader import ROW_TAG, SHEET_MAIN_NS, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    sheet_data_tag = f"{{{SHEET_MAIN_NS}}}sheetData"
    book = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        parse_row, dimensions = parser.parse_row, parser.row_dimensions
        sheet_data, expected = None, 1
        for event, element in iterparse(src, events=("start", "end")):
            if event == "start":
                if element.tag == sheet_data_tag:
                    sheet_data = element
                continue
            if element.tag != ROW_TAG:
                continue
            number, cells = parse_row(element)
            if sheet_data is not None:
                sheet_data.clear()  # the row just read is its only child
            dimensions.clear()
            while expected < number:  # rows absent from the file are blank
                expected += 1
                yield []
            values = [None] * (max(c["column"] for c in cells) if cells else 0)
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            expected = number + 1
            yield values


def _fits_in_memory(fh, name: str) -> bool:
    """Whether a workbook's first sheets span at most IMPORT_IN_MEMORY_MAX_ROWS rows and
    IMPORT_IN_MEMORY_MAX_COLUMNS columns (by the guard's reading of its cell references)."""
    rows, cols = settings.IMPORT_IN_MEMORY_MAX_ROWS, settings.IMPORT_IN_MEMORY_MAX_COLUMNS
    limits = dict(import_limits(worker=True), rows=rows, columns=cols, cells=rows * cols)
    try:
        check_workbook(fh, name, limits=limits)
    except ValidationError:
        return False
    return True


def read_sheet(file, file_name: str = "", *, field: str = "file", worker: bool = False,
               max_rows: int | None = None) -> Sheet:
    """Open the first sheet of an .xlsx, .xls or .csv file for reading row by row, after the
    import guard (`check_workbook`, with `worker` and `max_rows` as there). `file`: bytes or a
    seekable binary file, which must stay open until the Sheet is closed.

    A workbook within IMPORT_IN_MEMORY_MAX_ROWS × IMPORT_IN_MEMORY_MAX_COLUMNS is read whole by
    python-calamine (fast; its memory bounded by those limits); a larger one is streamed by
    openpyxl's read-only reader, one row at a time (about five times slower, memory independent
    of its length); a CSV file is always streamed. ValidationError({field: [message]}) for a
    file past the limits or that no reader can open."""
    fh = io.BytesIO(file) if isinstance(file, (bytes, bytearray, memoryview)) else file
    name = os.path.basename(file_name or getattr(file, "name", "") or "") or _("The file")
    unreadable = _("%(name)s cannot be read as a spreadsheet (.xlsx, .xls or .csv).") % {"name": name}
    check_workbook(fh, name, field=field, worker=worker, max_rows=max_rows)
    start = fh.tell()
    head = fh.read(8)
    fh.seek(start)
    try:
        if head.startswith(_ZIP_MAGIC) and not _fits_in_memory(fh, name):
            from openpyxl import load_workbook

            book = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
            ws = book.worksheets[0]
            rows = _streamed_rows(ws)
            header = next(rows, ())
            return Sheet(header, (ws.max_row or 1) - 1, rows, book.close, streamed=True, unreadable=unreadable)
        if head.startswith((_ZIP_MAGIC, _CFB_MAGIC)):
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_filelike(fh)
            sheet = book.get_sheet_by_index(0)
            rows = sheet.iter_rows()
            header = next(rows, [])
            return Sheet(header, sheet.height - 1, rows, book.close, streamed=False, unreadable=unreadable)
        if name.lower().endswith(".csv"):
            return _read_csv(fh, unreadable)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    except Exception as exc:  # noqa: BLE001 - each reader raises its own types for a broken file
        raise ValidationError({field: [unreadable]}) from exc
    raise ValidationError({field: [unreadable]})
