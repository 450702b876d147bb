"""Fast writes for large imports: plain INSERTs (or COPY on PostgreSQL) through the database
cursor (no model instances, no per-field compiler work) and the injuries personal-data cipher
with its key set up once per import instead of once per value.

The cipher produces exactly the tokens of `injuries.personal.encrypt` (same key, same format),
so `personal.decrypt` reads them; a test checks it."""

import hashlib

from django.db import connection
from django.utils import timezone

from safecommunity.injuries import personal


class BatchCipher:
    def __init__(self):
        self.aead = personal.cipher()
        # names the key without revealing it: tokens kept for later are usable only under the same key
        self.key_id = hashlib.sha256(b"key id|" + personal._master()).hexdigest()[:16]

    def encrypt(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        return personal.seal(self.aead, value)

    def decrypt(self, token: str) -> str:
        return personal.decrypt(token)


def insert(model, fields: list[str], rows, batch: int = 2000) -> None:
    """INSERT rows (tuples in the order of `fields`, attnames like "org_unit_id") into `model`'s
    table. Dates, times and datetimes must already be adapted with `adapt`."""
    meta = model._meta
    qn = connection.ops.quote_name
    columns = [_column(meta, f) for f in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(meta.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns)))
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


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
