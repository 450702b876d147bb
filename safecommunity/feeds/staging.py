"""The parsed rows of a previewed file, kept on the server until it is imported or cancelled,
so that the import does not read and parse the spreadsheet a second time.

One file per upload under VAR_DIR/feeds-staging/, written while the preview runs as a stream
of marshal records, each a block of up to BLOCK rows preceded by its length (only one block sits
in memory; `marshal.loads` of a whole block is many times faster than `marshal.load` from a file). Personal
values (name, ID number, phone) are kept as the tokens the injury record will store
(`injuries.personal` format, encrypted once at preview): the import writes them into the
records as they are. The first record is a fingerprint of what the parsing depended on (code
lists and value mappings, units in scope, columns, source, the day, the personal-data key): if
anything changed, or the file is missing (another server, a cleaned disk), the import parses the
spreadsheet again — the result is the same either way."""

import marshal
import operator
import os
import time as time_module
from datetime import date, time
from pathlib import Path

from django.conf import settings

from .bulk import BatchCipher

CODED = ("mechanism", "place", "activity", "intent", "nature", "body_part", "severity", "outcome")
_coded = operator.itemgetter(*CODED)  # ids → tuple in CODED order
BLOCK = 1000
VERSION = 2  # 2: blocks of rows, personal values as record tokens; files of another version are not read


def _dump(value, fh) -> None:
    data = marshal.dumps(value)
    fh.write(len(data).to_bytes(4, "big"))
    fh.write(data)


def _load(fh):
    """The next record, or None at the end of the file."""
    size = fh.read(4)
    if not size:
        return None
    data = fh.read(int.from_bytes(size, "big"))
    return marshal.loads(data)


def _path(upload) -> Path:
    return Path(settings.VAR_DIR) / "feeds-staging" / f"{upload.pk}.bin"


def _header(upload, fingerprint: str, cipher: BatchCipher) -> tuple:
    return ("V", VERSION, upload.pk, upload.checksum, upload.created_at.isoformat(), fingerprint, cipher.key_id)


class Writer:
    def __init__(self, upload, fingerprint: str):
        self.upload = upload
        self.fingerprint = fingerprint
        self.cipher = BatchCipher()

    def __enter__(self):
        path = _path(self.upload)
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path.parent)
        self.tmp = path.with_suffix(f".{os.getpid()}.tmp")
        self.fh = open(self.tmp, "wb")  # noqa: SIM115 - closed in __exit__
        _dump(_header(self.upload, self.fingerprint, self.cipher), self.fh)
        self.block: list[tuple] = []
        return self

    def add(self, rownum: int, case, errors: list[tuple[str, str]]) -> None:
        if errors:
            self.block.append(("E", rownum, errors))
        else:
            enc = self.cipher.encrypt
            t = case.occurred_time
            self.block.append((
                "C", rownum, case.card_number, case.unit_id, case.address, case.occurred_on.toordinal(),
                (t.hour, t.minute, t.second) if t else None, case.age, case.sex,
                _coded(case.ids), case.safety_area_id, case.key,
                case.sealed or (enc(case.name), enc(case.id_number), enc(case.phone))))
        if len(self.block) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self.block:
            _dump(self.block, self.fh)
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
    if header != _header(upload, fingerprint, BatchCipher()):
        fh.close()
        return None
    return _items(fh)


def _items(fh):
    """The kept rows. A case's personal values stay sealed (`Case.sealed`: the record tokens);
    `Case.personal()` opens them for the few cases that need them in clear."""
    from .models import FeedCase
    from .services import Case

    imported, unplaced = FeedCase.Status.IMPORTED, FeedCase.Status.UNPLACED
    days: dict[int, date] = {}
    times: dict[tuple, time] = {}
    with fh:
        while True:
            block = _load(fh)
            if block is None:
                return
            for item in block:
                if item[0] == "E":
                    yield item[1], None, item[2]
                    continue
                (_c, rownum, card_number, unit_id, address, ordinal, t, age, sex, ids, area, key, sealed) = item
                day = days.get(ordinal)
                if day is None:
                    day = days[ordinal] = date.fromordinal(ordinal)
                if t is not None:
                    t = times.get(t) or times.setdefault(t, time(*t))
                yield rownum, Case(
                    row=rownum, card_number=card_number, unit_id=unit_id, address=address, occurred_on=day,
                    occurred_time=t, age=age, sex=sex, ids=dict(zip(CODED, ids, strict=True)), safety_area_id=area,
                    name="", id_number="", phone="", key=key, status=imported if unit_id else unplaced,
                    sealed=sealed), []


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
