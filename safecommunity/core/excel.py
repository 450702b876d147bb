"""Excel export: every list and table goes out through here (openpyxl, write-only mode)."""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float, date)):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """Build an .xlsx with one sheet per (title, headers, rows)."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=str(title)[:31] or "Sheet")
        ws.freeze_panes = "A2"
        header_cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=str(h))
            c.font = bold
            c.fill = fill
            header_cells.append(c)
        ws.append(header_cells)
        for row in rows:
            ws.append([_cell_value(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> HttpResponse:
    """An attachment response holding one sheet; `filename` without extension (Chinese is fine)."""
    data = workbook_bytes([(title or filename, headers, rows)])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}-{stamp}.xlsx")
    return response
