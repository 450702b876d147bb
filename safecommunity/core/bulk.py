"""Fast writes for large imports: rows (tuples in the order of a field list) inserted through
the database cursor — no model instances, no per-field compiler work. COPY on PostgreSQL
(psycopg's C row writer), multi-row INSERTs on SQLite; ids reserved ahead (`IdBlocks`); a
writer thread (`BackgroundWriter`). Only SQLite and PostgreSQL. Callers check the values first:
this writes what it is given. Bulk writes are not audited row by row (the import's batch is
the record)."""

import queue
import re
import sqlite3 as Database
import threading

from django.db import DatabaseError, connection
from django.utils import timezone

SQLITE_CACHE_KIB = -65536  # PRAGMA cache_size while a BackgroundWriter runs: 64 MiB (the default is 2 MiB)


def insert(model, fields: list[str], rows, *, batch: int = 2000, binary: bool = False, cursor=None) -> None:
    """INSERT rows (tuples in the order of `fields`, attnames like "org_unit_id") into `model`'s
    table. Dates, times and datetimes must already be adapted with `Adapter` (except for a
    binary COPY, which takes Python values). On PostgreSQL one COPY — `binary` sends the values
    in the server's own form, a fifth of the client's encoding work of text COPY; on SQLite
    INSERTs of up to `batch` rows each (see below). `cursor`: a Django cursor to write through (another
    thread's connection, say); by default one of this thread's connection."""
    if cursor is None:
        with connection.cursor() as cursor:
            return insert(model, fields, rows, batch=batch, binary=binary, cursor=cursor)
    db, meta = cursor.db, model._meta
    qn = db.ops.quote_name
    columns = ", ".join(qn(_field(meta, f).column) for f in fields)
    if db.vendor == "postgresql":
        with db.wrap_database_errors, cursor.cursor.copy(
            f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN" + (" (FORMAT BINARY)" if binary else "")
        ) as copy:
            if binary:
                copy.set_types(column_types(model, fields, db))
            write_row = copy.write_row
            for row in rows:
                write_row(row)
        return
    # SQLite: many rows per statement (one step, one release of the GIL, per statement rather than
    # per row): a power of two within its limit of parameters, the rest in smaller powers of two,
    # so that the connection's statement cache holds a dozen statements per table at most (one
    # prepared statement per row count: each of a 1,000-row one weighs about a megabyte).
    # "?" placeholders straight to sqlite3.
    per_statement = 1 << (max(1, min(batch, _max_params(db) // len(fields))).bit_length() - 1)
    head = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "
    one = "(" + ", ".join(["?"] * len(fields)) + ")"
    execute = Database.Cursor.execute
    raw = cursor.cursor
    width = len(fields)
    chunk: list = []

    def flush(values: list) -> None:
        start, left = 0, len(values) // width
        while left:
            n = 1 << (left.bit_length() - 1)
            execute(raw, head + ", ".join([one] * n), values[start:start + n * width])
            start, left = start + n * width, left - n

    with db.wrap_database_errors:
        for row in rows:
            chunk.extend(row)
            if len(chunk) >= per_statement * width:
                flush(chunk)
                chunk = []
        flush(chunk)


def _max_params(db) -> int:
    """The most parameters one statement may have (SQLite's compile-time limit, 32,766 since
    3.32; Django's own figure, 999, is the old default)."""
    raw = getattr(db.connection, "getlimit", None)
    if raw is not None:
        return raw(Database.SQLITE_LIMIT_VARIABLE_NUMBER)
    return db.features.max_query_params or 999


def column_types(model, fields: list[str], db=connection) -> list[str]:
    """The database types of `fields`, without lengths ("varchar", not "varchar(100)")."""
    return [re.sub(r"\(.*\)", "", _field(model._meta, f).db_type(db)) for f in fields]


def new_ids(model, n: int) -> list[int]:
    """`n` fresh primary keys of `model`, in increasing order, for rows inserted with their ids.
    PostgreSQL: taken from the table's sequence. SQLite: reserved in `sqlite_sequence` (the
    table's AUTOINCREMENT counter) by a write that holds the database's write lock until the
    caller's transaction ends, so no other connection can take them; only inside a transaction."""
    if n == 0:
        return []
    meta = model._meta
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, n])
            return sorted(r[0] for r in cursor.fetchall())
    if connection.vendor == "sqlite":
        if not connection.in_atomic_block:
            raise RuntimeError("new_ids on SQLite needs a transaction (the reservation holds its write lock)")
        table = meta.db_table
        with connection.cursor() as cursor:
            # a write, so it takes the write lock (rowcount is not used: another thread may be
            # writing through this connection)
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 WHERE NOT EXISTS "
                           "(SELECT 1 FROM sqlite_sequence WHERE name = %s)", [table, table])
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            seq = cursor.fetchone()[0]
            cursor.execute(f"SELECT MAX({connection.ops.quote_name(meta.pk.column)}) FROM {connection.ops.quote_name(table)}")
            start = max(seq, cursor.fetchone()[0] or 0) + 1
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start + n - 1, table])
        return list(range(start, start + n))
    raise NotImplementedError(f"no id reservation on {connection.vendor}")


class IdBlocks:
    """Primary keys of `model` handed out in increasing order, reserved `block` at a time with
    `new_ids` (one round trip per block instead of one per chunk of rows). Unused reserved ids
    are left as a gap, as a rolled-back insert leaves one."""

    def __init__(self, model, block: int = 20000):
        self.model, self.block = model, block
        self._free: list[int] = []

    def take(self, n: int) -> list[int]:
        if len(self._free) < n:
            self._free.extend(new_ids(self.model, max(self.block, n - len(self._free))))
        taken, self._free = self._free[:n], self._free[n:]
        return taken


class BackgroundWriter:
    """Runs write jobs — callables taking a cursor — one after another in a thread, so the
    database works on the second core while the calling thread prepares the next rows: on
    PostgreSQL the server takes each COPY while the client parses, on SQLite sqlite3 releases
    the GIL while it steps.

    The thread writes through a cursor of this thread's connection, inside the caller's
    transaction. The caller may still run queries meanwhile: psycopg holds the connection's lock
    for a whole statement or COPY, SQLite serialises calls on a connection, so they wait their
    turn. Jobs run in the order submitted. On PostgreSQL the deferred foreign-key checks are
    made at the end of each statement while the writer runs (SET CONSTRAINTS ALL IMMEDIATE, not
    all at commit), and deferred again afterwards; on SQLite the page cache is enlarged for the
    indexes of the tables written.

    Use as a context manager inside the transaction and call `close()` before relying on what
    was written. An exception inside the block stops the writer; a failure of a job is raised by
    the next `submit()` or by `close()`; either way the caller's transaction rolls back."""

    def __init__(self, *, depth: int = 2, name: str = "bulk-writer"):
        self.vendor = connection.vendor
        self.depth, self.name = depth, name
        self._thread = None
        self._failure: BaseException | None = None

    def __enter__(self):
        self.cursor = connection.cursor()
        if self.vendor == "postgresql":
            self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elif self.vendor == "sqlite":
            self._cache_size = self.cursor.execute("PRAGMA cache_size").fetchone()[0]
            self.cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
        self._queue: queue.Queue = queue.Queue(maxsize=self.depth)
        self._thread = threading.Thread(target=self._drain, name=self.name, daemon=True)
        self._thread.start()
        return self

    def submit(self, job) -> None:
        if self._failure is not None:
            raise self._failure
        self._queue.put(job)

    def _drain(self):
        while (job := self._queue.get()) is not None:
            if self._failure is not None:
                continue
            try:
                job(self.cursor)
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                self._failure = exc

    def _join(self):
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def close(self):
        """Every job done (or the first failure raised)."""
        self._join()
        if self._failure is not None:
            raise self._failure

    def __exit__(self, exc_type, exc, tb):
        try:
            self._join()
            if self.vendor == "sqlite":
                self.cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
            elif self.vendor == "postgresql" and exc_type is None and self._failure is None:
                self.cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default for the rest of the transaction
        finally:
            self.cursor.close()
        if self._failure is not None and (exc_type is None or issubclass(exc_type, DatabaseError)):
            # the writer's failure is the cause: the caller's own query may only have met the
            # transaction it aborted ("current transaction is aborted") before submit() saw it
            raise self._failure from exc
        return False


def _field(meta, name: str):
    for f in meta.concrete_fields:
        if f.attname == name or f.name == name:
            return f
    raise LookupError(name)


class Adapter:
    """Python values → database parameters, as the ORM would send them."""

    def __init__(self):
        ops = connection.ops
        self.date = ops.adapt_datefield_value
        self.time = ops.adapt_timefield_value
        self.datetime = ops.adapt_datetimefield_value
        self.now = self.datetime(timezone.now())
