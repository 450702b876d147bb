"""Fast writes for large imports: plain INSERTs (or COPY on PostgreSQL) through the database
cursor (no model instances, no per-field compiler work) and the injuries personal-data cipher
with its key set up once per import instead of once per value.

The cipher produces exactly the tokens of `injuries.personal.encrypt` (same key, same format),
so `personal.decrypt` reads them; a test checks it."""

import hashlib
import os

from django.db import connection
from django.utils import timezone

from safecommunity.injuries import personal


class BatchCipher:
    NONCES = 1024  # random nonces drawn per os.urandom call (one system call instead of 1024)

    def __init__(self):
        self.aead = personal.cipher()
        # names the key without revealing it: tokens kept for later are usable only under the same key
        self.key_id = hashlib.sha256(b"key id|" + personal._master()).hexdigest()[:16]
        self._nonces = iter(())

    def encrypt(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        nonce = next(self._nonces, None)
        if nonce is None:
            pool = os.urandom(personal.NONCE * self.NONCES)
            self._nonces = (pool[i:i + personal.NONCE] for i in range(0, len(pool), personal.NONCE))
            nonce = next(self._nonces)
        return personal.seal(self.aead, value, nonce)

    def decrypt(self, token: str) -> str:
        return personal.decrypt(token)


def insert(model, fields: list[str], rows, batch: int = 2000) -> None:
    """INSERT rows (tuples in the order of `fields`, attnames like "org_unit_id") into `model`'s
    table. Dates, times and datetimes must already be adapted with `Adapter`. On PostgreSQL one
    COPY, its rows formatted by psycopg's C row writer; elsewhere a prepared executemany per
    `batch` rows."""
    meta = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(_column(meta, f)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
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


def _column(meta, name: str) -> str:
    for f in meta.concrete_fields:
        if f.attname == name or f.name == name:
            return f.column
    raise LookupError(name)


class Adapter:
    """Python values → database parameters, as the ORM would send them."""

    def __init__(self):
        ops = connection.ops
        self.date = ops.adapt_datefield_value
        self.time = ops.adapt_timefield_value
        self.datetime = ops.adapt_datetimefield_value
        self.now = self.datetime(timezone.now())
