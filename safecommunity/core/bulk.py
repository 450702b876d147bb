"""Fast writes for large imports: rows (tuples in the order of a field list) inserted through
the database cursor — no model instances, no per-field compiler work. COPY on PostgreSQL
(psycopg's C row writer), a prepared executemany elsewhere. Callers check the values first:
this writes what it is given. Bulk writes are not audited row by row (the import's batch is
the record)."""

import re

from django.db import connection
from django.utils import timezone


def insert(model, fields: list[str], rows, *, batch: int = 2000, binary: bool = False, cursor=None) -> None:
    """INSERT rows (tuples in the order of `fields`, attnames like "org_unit_id") into `model`'s
    table. Dates, times and datetimes must already be adapted with `Adapter` (except for a
    binary COPY, which takes Python values). On PostgreSQL one COPY — `binary` sends the values
    in the server's own form, a fifth of the client's encoding work of text COPY; elsewhere a
    prepared executemany per `batch` rows. `cursor`: a Django cursor to write through (another
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
    sql = "INSERT INTO {} ({}) VALUES ({})".format(qn(meta.db_table), columns, ", ".join(["%s"] * len(fields)))
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            cursor.executemany(sql, chunk)
            chunk = []
    if chunk:
        cursor.executemany(sql, chunk)


def column_types(model, fields: list[str], db=connection) -> list[str]:
    """The database types of `fields`, without lengths ("varchar", not "varchar(100)")."""
    return [re.sub(r"\(.*\)", "", _field(model._meta, f).db_type(db)) for f in fields]


def new_ids(model, n: int) -> list[int] | None:
    """`n` fresh primary keys of `model` taken from its sequence (PostgreSQL), in increasing
    order, for rows inserted with their ids; None where the database has no sequence (SQLite:
    the caller reads the ids back)."""
    if connection.vendor != "postgresql" or n == 0:
        return None
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, n])
        return sorted(r[0] for r in cursor.fetchall())


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
