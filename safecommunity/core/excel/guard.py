"""The size guard every import calls before a spreadsheet reader sees the file (`check_workbook`),
and the import limits in force (`import_limits`)."""

import hashlib
import io
import itertools
import os
import re
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

# A sheet's size as the reader will allocate it is the span of its cells (A1 to the last cell
# named), not the number of cells in the file: two cells, A1 and XFD1048576, make calamine ask for
# 17 billion cells (half a terabyte) and the process dies where Python cannot catch it. So the
# declared sizes are read first — the zip's member sizes and each sheet's <dimension> and cell
# references, streamed from the compressed file — and anything beyond the limits is refused.

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref="([^"]*)"')
_CHUNK = 1 << 20


def on_worker() -> bool:
    """Whether background tasks run on a Celery worker (REDIS_URL set), not inside the request
    that starts them."""
    return not settings.CELERY_TASK_ALWAYS_EAGER


def import_limits(*, worker: bool = False) -> dict[str, int]:
    """The import limits in force: those of a file read inside a web request (settings
    IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS, IMPORT_MAX_UNPACKED_MB,
    IMPORT_MAX_ZIP_RATIO), or with `worker=True` and a worker configured (`on_worker()`) those of
    a file read by a background worker (IMPORT_WORKER_MAX_ROWS, IMPORT_WORKER_MAX_CELLS,
    IMPORT_WORKER_MAX_UNPACKED_MB): a worker streams the file (`read_sheet`), so its limits bound
    the time an import takes, not its memory. Without a worker a task runs inside the request,
    under the request's limits."""
    limits = {
        "rows": settings.IMPORT_MAX_ROWS,
        "columns": settings.IMPORT_MAX_COLUMNS,
        "cells": settings.IMPORT_MAX_CELLS,
        "unpacked": settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024,
        "ratio": settings.IMPORT_MAX_ZIP_RATIO,
    }
    if worker and on_worker():
        limits.update(rows=max(limits["rows"], settings.IMPORT_WORKER_MAX_ROWS),
                      cells=max(limits["cells"], settings.IMPORT_WORKER_MAX_CELLS),
                      unpacked=max(limits["unpacked"], settings.IMPORT_WORKER_MAX_UNPACKED_MB * 1024 * 1024))
    return limits


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _ref_extent(ref: bytes) -> tuple[int, int]:
    """(last row, last column) of a dimension reference such as b"A1:S20001" (0 when absent)."""
    last = ref.split(b":")[-1]
    m = re.fullmatch(rb"\$?([A-Za-z]*)\$?(\d*)", last)
    if not m:
        return 0, 0
    return (int(m.group(2)) if m.group(2) else 0), (_column_number(m.group(1)) if m.group(1) else 0)


def _refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def _check_extent(rows: int, cols: int, *, name: str, sheet: str, limits: dict, field: str) -> None:
    if rows > limits["rows"] or cols > limits["columns"] or rows * cols > limits["cells"]:
        _refuse(field, _(
            "%(name)s: the sheet “%(sheet)s” spans %(rows)s rows × %(cols)s columns; at most %(max_rows)s rows "
            "and %(max_cols)s columns (%(max_cells)s cells) are imported at a time. Split the file, or delete "
            "the empty rows and columns after the data.") % {
            "name": name, "sheet": sheet, "rows": f"{rows:,}", "cols": f"{cols:,}", "max_rows": f"{limits['rows']:,}",
            "max_cols": f"{limits['columns']:,}", "max_cells": f"{limits['cells']:,}"})


# Every row and cell reference (`r="…"`) of a sheet. Whitespace before an attribute and single
# quotes around its value are first read as a space and a double quote, and lower case as upper (so
# the attribute reads ` R="`): no spelling of the XML slips past. _AS_CLASS reads, besides, every
# letter but R as A and every digit as 0, so that the references long enough to pass a limit are
# found by a pattern that needs no backtracking (` R="[AR]{2}`, ` R="[AR]?0{6}`) before any value
# is read.
_AS_SPACE = bytes.maketrans(b"\t\n\r'" + bytes(range(97, 123)), b'   "' + bytes(range(65, 91)))
_LETTERS = b"ABCDEFGHIJKLMNOPQSTUVWXYZ"  # R apart: it names the attribute too
_AS_CLASS = bytes.maketrans(b"\t\n\r'Rr" + _LETTERS + _LETTERS.lower() + b"0123456789",
                            b'   "RR' + b"A" * 50 + b"0" * 10)
_REF_LETTERS = re.compile(rb' R="([A-Z]+)')
_REF_DIGITS = re.compile(rb' R="[A-Z]*(\d+)')
_MANY = 256  # candidates in a chunk past which the chunk is searched whole


def _greater(number: str, alphabet: str) -> str:
    """A regular expression for the strings of `alphabet`'s symbols, in positional order, that read
    as greater than `number` (spelt in that alphabet, without leading zero symbols)."""
    first, any_ = alphabet[1] if alphabet[0] == "0" else alphabet[0], f"[{alphabet[0]}-{alphabet[-1]}]"
    parts = [f"[{first}-{alphabet[-1]}]{any_}{{{len(number)},}}"]  # longer
    for i, ch in enumerate(number):
        above = alphabet[alphabet.index(ch) + 1:]
        if above:
            parts.append(f"{re.escape(number[:i])}[{above[0]}-{above[-1]}]{any_}{{{len(number) - i - 1}}}")
    return "|".join(parts)


def _column_letters(n: int) -> str:
    """The letters of the n-th column (1 → A)."""
    return xl_col_to_name(n - 1)


_BEYOND: dict[tuple, tuple] = {}


def _beyond(limits: dict) -> tuple[re.Pattern, re.Pattern]:
    """One pattern that matches any reference past the row limit or past the column that keeps rows
    × columns within the cell limit (a sheet in which it finds nothing is within every limit), and
    one in _AS_CLASS spelling that matches every such reference, and few others: those with as
    many letters as the column or as many digits as the row limit."""
    cols = max(1, min(limits["columns"], limits["cells"] // max(limits["rows"], 1)))
    key = (limits["rows"], cols)
    if key not in _BEYOND:
        letters, digits = _column_letters(cols), str(limits["rows"])
        col = _greater(letters, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        row = _greater(digits, "0123456789")
        lc, ld = len(letters), len(digits)
        candidates = re.compile(f' R="(?:[AR]{{{lc}}}|[AR]{{0,{lc - 1}}}0{{{ld}}})'.encode())
        _BEYOND[key] = re.compile(f' R="(?:(?:{col})|[A-Z]*0*(?:{row}))'.encode()), candidates
    return _BEYOND[key]


def _past_limits(raw: bytes, pattern: re.Pattern, candidates: re.Pattern) -> bool:
    """Whether a chunk holds a reference `pattern` matches: first a search in _AS_CLASS spelling for
    the references long enough to pass a limit, then `pattern` where one is found (or over the whole
    chunk where they are many)."""
    found = list(itertools.islice(candidates.finditer(raw.translate(_AS_CLASS)), _MANY + 1))
    if not found:
        return False
    text_ = raw.translate(_AS_SPACE)
    if len(found) > _MANY:
        return pattern.search(text_) is not None
    return any(pattern.match(text_, m.start()) for m in found)


def _sheet_chunks(member):
    """The sheet's XML in chunks that never cut a tag."""
    tail = b""
    while True:
        chunk = member.read(_CHUNK)
        if not chunk:
            break
        buf = tail + chunk
        cut = buf.rfind(b"<")  # a tag cut by the chunk boundary is read with the next chunk
        if cut <= 0 or len(buf) - cut > 4096:
            cut = len(buf)
        yield buf[:cut]
        tail = buf[cut:]
    if tail:
        yield tail


def _scan_sheet(open_member, *, name: str, sheet: str, limits: dict, field: str) -> None:
    """Stream one worksheet's XML: its declared dimension, then the row and column references.
    First a search of each chunk for any reference past the limits (or past the column at which
    rows × columns could pass the cell limit); only where one is found is the sheet read again for
    its highest row and column, which are refused with their figures."""
    pattern, candidates = _beyond(limits)
    found = False
    with open_member() as member:
        for i, raw in enumerate(_sheet_chunks(member)):
            if i == 0:
                m = _DIMENSION.search(raw[:8192])
                if m:
                    r, c = _ref_extent(m.group(1))
                    _check_extent(r, c, name=name, sheet=sheet, limits=limits, field=field)
            if _past_limits(raw, pattern, candidates):
                found = True
                break
    if not found:
        return
    rows = cols = 0
    with open_member() as member:
        for raw in _sheet_chunks(member):
            text_ = raw.translate(_AS_SPACE)
            letters = set(_REF_LETTERS.findall(text_))  # a handful of distinct columns
            if letters:
                cols = max(cols, max(_column_number(x) for x in letters))
            digits = set(_REF_DIGITS.findall(text_))
            if digits:
                rows = max(rows, max(map(int, digits)))
            _check_extent(rows, cols, name=name, sheet=sheet, limits=limits, field=field)


def _check_xlsx(fh, *, name: str, limits: dict, field: str) -> None:
    unreadable = _("%(name)s is not an Excel workbook (.xlsx) that can be read.") % {"name": name}
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(field, unreadable)
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:  # an .ods, an .xlsb or some other zip under an .xlsx name
            _refuse(field, unreadable)
        unpacked = sum(i.file_size for i in infos)
        too_packed = any(i.file_size > _CHUNK and i.file_size > limits["ratio"] * max(i.compress_size, 1)
                         for i in infos)
        if unpacked > limits["unpacked"] or too_packed:
            _refuse(field, _("%(name)s unpacks to %(size)s MB; at most %(max)s MB can be imported at a time.") % {
                "name": name, "size": f"{unpacked / 1048576:,.0f}", "max": f"{limits['unpacked'] // 1048576:,}"})
        sheets = sorted(i.filename for i in infos
                        if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
        try:
            for sheet in sheets:
                _scan_sheet(lambda sheet=sheet: zf.open(sheet), name=name, sheet=sheet.rsplit("/", 1)[-1][:-4],
                            limits=limits, field=field)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
            _refuse(field, unreadable)


# Records of a BIFF (.xls) worksheet that name a cell (row, column first), and the two that name a
# run of cells (row, first column, …, last column in the record's last two bytes).
_BIFF_CELLS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E})
_BIFF_RUNS = frozenset({0x00BD, 0x00BE})
_BIFF_ROW, _BIFF_DIMENSIONS, _BIFF_EOF, _BIFF_SHEET = 0x0208, 0x0200, 0x000A, 0x0085


def _check_xls(fh, *, name: str, limits: dict, field: str) -> None:
    """An Excel 97–2003 workbook: its compound file is opened with olefile, the workbook stream's
    size checked, then every record that declares a sheet's extent or names a cell read for its
    row and column. The format's own 65,536 × 256 is not to be trusted: a record may name column
    65,535, which the reader would allocate."""
    import struct

    import olefile

    unreadable = _("%(name)s is not an Excel workbook (.xls) that can be read.") % {"name": name}
    try:
        ole = olefile.OleFileIO(fh)
    except (OSError, ValueError, IndexError, struct.error):
        _refuse(field, unreadable)
    with ole:
        stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
        if stream is None:
            _refuse(field, unreadable)
        if ole.get_size(stream) > limits["unpacked"]:
            _refuse(field, _("%(name)s unpacks to %(size)s MB; at most %(max)s MB can be imported at a time.") % {
                "name": name, "size": f"{ole.get_size(stream) / 1048576:,.0f}",
                "max": f"{limits['unpacked'] // 1048576:,}"})
        try:
            data = ole.openstream(stream).read()
        except (OSError, ValueError, IndexError, struct.error):
            _refuse(field, unreadable)
    unpack = struct.unpack_from
    rows = cols = 0
    sheets, ended = [], -1  # the sheets' names (BOUNDSHEET records of the globals); substreams ended
    pos, end = 0, len(data) - 4
    while pos <= end:
        kind, length = unpack("<HH", data, pos)
        body = pos + 4
        pos = body + length
        if kind in _BIFF_CELLS and length >= 4:
            row, col = unpack("<HH", data, body)
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif kind in _BIFF_RUNS and length >= 6:
            row, = unpack("<H", data, body)
            col, = unpack("<H", data, body + length - 2)
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif kind == _BIFF_ROW and length >= 6:
            row, _first, last = unpack("<HHH", data, body)
            rows, cols = max(rows, row + 1), max(cols, last)
        elif kind == _BIFF_DIMENSIONS and length >= 14:  # BIFF8: rows as 32-bit, last row and column exclusive
            _first_row, last_row, _first_col, last_col = unpack("<IIHH", data, body)
            rows, cols = max(rows, last_row), max(cols, last_col)
        elif kind == _BIFF_DIMENSIONS and length >= 8:
            _first_row, last_row, _first_col, last_col = unpack("<HHHH", data, body)
            rows, cols = max(rows, last_row), max(cols, last_col)
        elif kind == _BIFF_SHEET and length >= 8:
            size, wide = data[body + 6], data[body + 7] & 1
            raw = data[body + 8:body + 8 + size * (2 if wide else 1)]
            sheets.append(raw.decode("utf-16-le" if wide else "latin-1", "replace"))
        elif kind == _BIFF_EOF:  # the end of one sheet (or, first, of the workbook's globals)
            sheet = sheets[ended] if 0 <= ended < len(sheets) else str(ended + 1)
            _check_extent(rows, cols, name=name, sheet=sheet, limits=limits, field=field)
            rows = cols = 0
            ended += 1
    sheet = sheets[ended] if 0 <= ended < len(sheets) else str(ended + 1)
    _check_extent(rows, cols, name=name, sheet=sheet, limits=limits, field=field)


def _check_csv(fh, *, name: str, limits: dict, field: str) -> None:
    lines = 0
    while chunk := fh.read(_CHUNK):
        lines += chunk.count(b"\n")
        if lines > limits["rows"] + 1:
            _refuse(field, _("%(name)s has more than %(max_rows)s rows; split the file.") % {
                "name": name, "max_rows": f"{limits['rows']:,}"})


# Workbooks (SHA-256, limits) that passed in this process: an import checked on upload and then run
# in the same process (Celery in-process, the default) is not scanned a second time.
_PASSED: dict[tuple, bool] = {}


def _digest(fh) -> bytes:
    h = hashlib.sha256()
    while chunk := fh.read(_CHUNK):
        h.update(chunk)
    return h.digest()


def check_workbook(file, file_name: str = "", *, field: str = "file", max_rows: int | None = None,
                   worker: bool = False, limits: dict | None = None) -> None:
    """Refuse, before any spreadsheet reader opens it, a file whose declared size passes the import
    limits: ValidationError({field: [message in Chinese]}). `file`: bytes or a seekable binary file
    (left at its start). `max_rows`: a lower row limit of the caller's (header row included).
    `worker`: the file will be read by a background worker (`import_limits(worker=True)`);
    `limits`: other limits altogether (as `import_limits` gives them).
    .xlsx (and any zip) is checked by its members' sizes and its sheets' cell references; .csv by
    its lines; .xls by its compound file's stream size and its sheets' records."""
    limits = dict(limits) if limits is not None else import_limits(worker=worker)
    if max_rows is not None:
        limits["rows"] = min(limits["rows"], max_rows)
    name = os.path.basename(file_name or getattr(file, "name", "") or "") or _("The file")
    fh = io.BytesIO(file) if isinstance(file, (bytes, bytearray, memoryview)) else file
    start = fh.tell()
    try:
        head = fh.read(8)
        fh.seek(start)
        if head.startswith(_ZIP_MAGIC):
            key = (_digest(fh), tuple(sorted(limits.items())))
            fh.seek(start)
            if key not in _PASSED:  # the same file under the same limits passed in this process
                _check_xlsx(fh, name=name, limits=limits, field=field)
                _PASSED[key] = True
                while len(_PASSED) > 64:
                    _PASSED.pop(next(iter(_PASSED)))
        elif head.startswith(_CFB_MAGIC):
            _check_xls(fh, name=name, limits=limits, field=field)
        elif name.lower().endswith(".csv"):
            _check_csv(fh, name=name, limits=limits, field=field)
    finally:
        fh.seek(start)
