"""Bulk import of injury records and populations from .xlsx or .csv (read row by row: core.excel.read_sheet).

All or nothing: every row is checked with the same rules as the entry form; rows are inserted in
chunks inside one transaction while no error has been seen; the first bad row stops inserting
(checking goes on, to list every problem) and the transaction is rolled back at the end. The
errors (row, column, reason) are stored on the ImportBatch and downloadable as Excel.

By concern: `columns` (the template, header matching), `cells` (reading a cell), `rows` (checking
and writing record rows), `population`, `batches` (running a batch, progress, stale batches).
Callers import every name from here.
"""

from safecommunity.core import bulk  # noqa: F401 - what rows.py writes with (tests patch importer.bulk.insert)

from .batches import (  # noqa: F401 - re-exported
    _beat_key,
    checksum,
    heartbeat,
    import_skipped_duplicates,
    is_stale,
    progress_key,
    run_batch,
    skipped_duplicates,
)
from .columns import (  # noqa: F401 - re-exported
    ALIASES,
    POPULATION_COLUMNS,
    RECORD_COLUMNS,
    SEX_VALUES,
    errors_bytes,
    match_headers,
    template_bytes,
)
from .population import import_population  # noqa: F401 - re-exported
from .rows import CHUNK, INSERT_COLUMNS, MAX_ERRORS, RecordImporter, RowWriter  # noqa: F401 - re-exported
