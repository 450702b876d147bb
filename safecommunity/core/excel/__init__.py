"""Excel: every export goes out through `writing` (workbook_bytes, xlsx_response); every import
passes the size guard (`guard.check_workbook`) and reads its file row by row (`reading.read_sheet`,
`cell_text`). Callers import every name from here."""

from .guard import (  # noqa: F401 - re-exported
    _MANY,
    _beyond,
    _column_letters,
    _column_number,
    _past_limits,
    check_workbook,
    import_limits,
    on_worker,
)
from .reading import Sheet, cell_text, read_sheet  # noqa: F401 - re-exported
from .writing import OPTIONS, XLSX_MIME, workbook_bytes, xlsx_response  # noqa: F401 - re-exported
