"""Fast writes for large imports: plain INSERTs through the database cursor (no model
instances, no per-field compiler work) and the injuries personal-data cipher with its keys
derived once per import instead of once per value.

The cipher produces exactly the tokens of `injuries.personal.encrypt` (same keys, same format),
so `personal.decrypt` reads them; a test checks it."""

import base64
import hmac
import os

from django.db import connection
from django.utils import timezone

from safecommunity.injuries import personal


class BatchCipher:
    def __init__(self):
        self.enc, self.mac = personal._keys()
        # names the key without revealing it: tokens kept for later are usable only under the same key
        self.key_id = hmac.digest(self.mac, b"key id", "sha256")[:8].hex()

    def encrypt(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        data = value.encode()
        nonce = os.urandom(16)
        blocks = (len(data) + 31) // 32
        stream = b"".join(hmac.digest(self.enc, nonce + i.to_bytes(8, "big"), "sha256") for i in range(blocks))
        ct = (int.from_bytes(data, "big") ^ int.from_bytes(stream[: len(data)], "big")).to_bytes(len(data), "big")
        tag = hmac.digest(self.mac, nonce + ct, "sha256")[:16]
        return "h1:" + base64.urlsafe_b64encode(nonce + ct + tag).decode()

    def decrypt(self, token: str) -> str:
        if not token:
            return ""
        raw = base64.urlsafe_b64decode(token[3:].encode())
        nonce, ct, tag = raw[:16], raw[16:-16], raw[-16:]
        if not hmac.compare_digest(tag, hmac.digest(self.mac, nonce + ct, "sha256")[:16]):
            raise personal.Unreadable("authentication failed")
        blocks = (len(ct) + 31) // 32
        stream = b"".join(hmac.digest(self.enc, nonce + i.to_bytes(8, "big"), "sha256") for i in range(blocks))
        return (int.from_bytes(ct, "big") ^ int.from_bytes(stream[: len(ct)], "big")).to_bytes(len(ct), "big").decode()


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
