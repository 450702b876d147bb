"""Files chosen before a validation error are kept, so that the user need not choose them again:
the view stores them aside (`keep`) and the form carries a signed token in a hidden field; the
next submission without new files takes them back (`kept`). Tokens name their user and expire."""

import uuid

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

SALT = "safecommunity.kept-uploads"
MAX_AGE = 24 * 3600


def keep(files, *, user) -> str:
    stored = []
    for f in files:
        f.seek(0)
        path = default_storage.save(f"kept-uploads/{uuid.uuid4().hex}/{f.name}", f)
        stored.append([path, f.name, getattr(f, "content_type", "") or "application/octet-stream"])
    return signing.dumps({"u": user.pk, "f": stored}, salt=SALT, compress=True)


def _entries(token, user) -> list:
    if not token:
        return []
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    return data.get("f", []) if data.get("u") == user.pk else []


def kept_names(token, *, user) -> list[str]:
    return [name for _path, name, _type in _entries(token, user)]


def kept(token, *, user) -> list[SimpleUploadedFile]:
    files = []
    for path, name, content_type in _entries(token, user):
        if default_storage.exists(path):
            with default_storage.open(path) as fh:
                files.append(SimpleUploadedFile(name, fh.read(), content_type=content_type))
    return files
