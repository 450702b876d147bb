"""The parsed rows of a previewed file, kept on the server until it is imported or cancelled,
so that the import does not read and parse the spreadsheet a second time.

One file per upload under VAR_DIR/feeds-staging/, written row by row while the preview runs
(nothing accumulates in memory) as a stream of marshal records; personal values (name, ID
number, phone) are encrypted with the injuries key. The first record is a fingerprint of what
the parsing depended on (code lists and value mappings, units in scope, columns, source, the
day): if anything changed, or the file is missing (another server, a cleaned disk), the import
parses the spreadsheet again — the result is the same either way."""

import json
import marshal
import os
import time as time_module
from datetime import date, time
from pathlib import Path

from django.conf import settings

from .bulk import BatchCipher

CODED = ("mechanism", "place", "activity", "intent", "nature", "body_part", "severity", "outcome")


def _path(upload) -> Path:
    return Path(settings.VAR_DIR) / "feeds-staging" / f"{upload.pk}.bin"


def _header(upload, fingerprint: str) -> tuple:
    return ("V", 1, upload.pk, upload.checksum, upload.created_at.isoformat(), fingerprint)


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
        marshal.dump(_header(self.upload, self.fingerprint), self.fh)
        return self

    def add(self, rownum: int, case, errors: list[tuple[str, str]]) -> None:
        if errors:
            marshal.dump(("E", rownum, errors), self.fh)
            return
        secret = self.cipher.encrypt(json.dumps([case.name, case.id_number, case.phone], ensure_ascii=False))
        t = case.occurred_time
        marshal.dump(("C", rownum, case.card_number, case.unit_id, case.address, case.occurred_on.toordinal(),
                      (t.hour, t.minute, t.second) if t else None, case.age, case.sex,
                      tuple(case.ids[k] for k in CODED), case.safety_area_id, case.key, secret), self.fh)

    def __exit__(self, exc_type, exc, tb):
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
        header = marshal.load(fh)
    except (EOFError, ValueError, TypeError):
        fh.close()
        return None
    if header != _header(upload, fingerprint):
        fh.close()
        return None
    return _items(fh)


def _items(fh):
    from .models import FeedCase
    from .services import Case

    cipher = BatchCipher()
    with fh:
        while True:
            try:
                item = marshal.load(fh)
            except EOFError:
                return
            if item[0] == "E":
                yield item[1], None, item[2]
                continue
            (_c, rownum, card_number, unit_id, address, ordinal, t, age, sex, ids, area, key, secret) = item
            name, id_number, phone = json.loads(cipher.decrypt(secret))
            yield rownum, Case(
                row=rownum, card_number=card_number, unit_id=unit_id, address=address,
                occurred_on=date.fromordinal(ordinal), occurred_time=time(*t) if t else None, age=age, sex=sex,
                ids=dict(zip(CODED, ids, strict=True)), safety_area_id=area, name=name, id_number=id_number,
                phone=phone, key=key,
                status=FeedCase.Status.IMPORTED if unit_id else FeedCase.Status.UNPLACED), []


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
