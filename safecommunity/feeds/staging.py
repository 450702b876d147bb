"""The parsed rows of a previewed file, kept on the server until it is imported or cancelled,
so that the import does not read and parse the spreadsheet a second time.

One file per upload under VAR_DIR/feeds-staging/, written while the preview runs: a header
record, then blocks of up to BLOCK rows, each a marshal record preceded by its length (only one
block sits in memory; `marshal.loads` of a whole block is many times faster than `marshal.load`
from a file). Every block is encrypted as a whole with the personal-data key
(`core.personal`, AES-256-GCM, the block's number as associated data so blocks cannot be
reordered), so nothing of a row (name, ID number, phone, address) is on disk in clear, and
the preview encrypts one value per thousand rows instead of two per row: the values are
encrypted for the records at import, while the database stores the previous chunk.

The header (in clear, no personal data) holds a fingerprint of what the parsing depended on
(code lists and value mappings, units in scope, columns, source, the day) and names the key:
if anything changed, or the file is missing (another server, a cleaned disk), the import parses
the spreadsheet again — the result is the same either way."""

import marshal
import operator
import os
import time as time_module
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from django.conf import settings

from safecommunity.core import personal


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """A row whose address is in another district: not the uploader's case (`district`: its name)."""

    district: str


CODED = ("mechanism", "place", "activity", "intent", "nature", "body_part", "severity", "outcome")
_coded = operator.itemgetter(*CODED)  # ids → tuple in CODED order
BLOCK = 1000
VERSION = 4  # 3: blocks encrypted as a whole, clear values inside; 4: cases of other districts ("X"); files of another version are not read


def _dump(value, fh, aead=None, number: int = 0) -> None:
    data = marshal.dumps(value)
    if aead is not None:
        nonce = os.urandom(personal.NONCE)
        data = nonce + aead.encrypt(nonce, data, number.to_bytes(8, "big"))
    fh.write(len(data).to_bytes(4, "big"))
    fh.write(data)


def _next(fh, aead=None, number: int = 0) -> bytes | None:
    """The bytes of the next record (decrypted and authenticated with `aead`, as block `number`),
    or None at the end of the file."""
    size = fh.read(4)
    if not size:
        return None
    data = fh.read(int.from_bytes(size, "big"))
    if aead is not None:
        data = aead.decrypt(data[:personal.NONCE], data[personal.NONCE:], number.to_bytes(8, "big"))
    return data


def _load(fh, aead=None, number: int = 0):
    """The next record, or None at the end of the file."""
    data = _next(fh, aead, number)
    return None if data is None else marshal.loads(data)


def _path(upload) -> Path:
    return Path(settings.VAR_DIR) / "feeds-staging" / f"{upload.pk}.bin"


def _header(upload, fingerprint: str) -> tuple:
    return ("V", VERSION, upload.pk, upload.checksum, upload.created_at.isoformat(), fingerprint,
            personal.key_id())


class Writer:
    def __init__(self, upload, fingerprint: str):
        self.upload = upload
        self.fingerprint = fingerprint
        self.aead = personal.cipher()

    def __enter__(self):
        path = _path(self.upload)
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path.parent)
        self.tmp = path.with_suffix(f".{os.getpid()}.tmp")
        self.fh = open(self.tmp, "wb")  # noqa: SIM115 - closed in __exit__
        _dump(_header(self.upload, self.fingerprint), self.fh)
        self.block: list[tuple] = []
        self.blocks = 0
        return self

    def add(self, rownum: int, case, errors: list[tuple[str, str]]) -> None:
        if errors:
            self.block.append(("E", rownum, errors))
        elif type(case) is Elsewhere:
            self.block.append(("X", rownum, case.district))
        else:
            t = case.occurred_time
            self.block.append((
                "C", rownum, case.card_number, case.unit_id, case.address, case.occurred_on.toordinal(),
                (t.hour, t.minute, t.second) if t else None, case.age, case.sex,
                _coded(case.ids), case.safety_area_id, case.key, case.name, case.id_number, case.phone))
        if len(self.block) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self.block:
            self.blocks += 1
            _dump(self.block, self.fh, self.aead, self.blocks)
            self.block = []

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self._flush()
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, _path(self.upload))
        else:
            self.tmp.unlink(missing_ok=True)
        return False


def read(upload, fingerprint: str):
    """An iterator like `Analyser.parsed()` over the kept rows, or None when they cannot be used."""
    path = _path(upload)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the generator
    except OSError:
        return None
    try:
        header = _load(fh)
    except (EOFError, ValueError, TypeError):
        fh.close()
        return None
    if header != _header(upload, fingerprint):
        fh.close()
        return None
    aead = personal.cipher()
    start = fh.tell()
    if not _intact(fh, aead):  # damaged or tampered with: parse the spreadsheet again
        fh.close()
        return None
    fh.seek(start)
    return _items(fh, aead)


def _intact(fh, aead) -> bool:
    """Every block authenticates, in its place (≈ 10 ms for 100,000 rows: AES-GCM only, no
    unmarshalling), so the import never fails half-way through a kept preview."""
    from cryptography.exceptions import InvalidTag

    number = 0
    try:
        while True:
            number += 1
            if _next(fh, aead, number) is None:
                return True
    except (InvalidTag, ValueError):
        return False


def _items(fh, aead):
    """The kept rows, with their personal values in clear (encrypted again for the records)."""
    from .analysis import Case
    from .models import FeedCase

    imported, unplaced = FeedCase.Status.IMPORTED, FeedCase.Status.UNPLACED
    days: dict[int, date] = {}
    times: dict[tuple, time] = {}
    number = 0
    with fh:
        while True:
            number += 1
            block = _load(fh, aead, number)
            if block is None:
                return
            for item in block:
                if item[0] == "E":
                    yield item[1], None, item[2]
                    continue
                if item[0] == "X":
                    yield item[1], Elsewhere(item[2]), []
                    continue
                (_c, rownum, card_number, unit_id, address, ordinal, t, age, sex, ids, area, key,
                 name, id_number, phone) = item
                day = days.get(ordinal)
                if day is None:
                    day = days[ordinal] = date.fromordinal(ordinal)
                if t is not None:
                    t = times.get(t) or times.setdefault(t, time(*t))
                yield rownum, Case(
                    row=rownum, card_number=card_number, unit_id=unit_id, address=address, occurred_on=day,
                    occurred_time=t, age=age, sex=sex, ids=dict(zip(CODED, ids, strict=True)), safety_area_id=area,
                    name=name, id_number=id_number, phone=phone, key=key, status=imported if unit_id else unplaced), []


MAX_AGE = 7 * 86400  # previews left neither imported nor cancelled


def _sweep(folder: Path) -> None:
    limit = time_module.time() - MAX_AGE
    for old in folder.glob("*"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass


def discard(upload) -> None:
    _path(upload).unlink(missing_ok=True)
