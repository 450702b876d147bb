"""Storing and verifying files. Limits are checked before anything is written."""

import hashlib
import re
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions
from .models import Attachment

KIND_BY_EXTENSION = {
    **dict.fromkeys(["jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff"], Attachment.Kind.PHOTO),
    **dict.fromkeys(["mp3", "wav", "m4a", "amr"], Attachment.Kind.AUDIO),
    **dict.fromkeys(["mp4", "mov", "avi", "wmv"], Attachment.Kind.VIDEO),
    **dict.fromkeys(["xls", "xlsx", "csv", "ods"], Attachment.Kind.SPREADSHEET),
}
# What every accepted type's content begins with: a file whose content contradicts its extension
# (a program renamed .bmp, a web page renamed .txt) is refused. (offset, bytes) pairs, any may match.
_CFB = [(0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")]  # the OLE compound file of .doc/.xls/.ppt
_ZIP = [(0, b"PK\x03\x04"), (0, b"PK\x05\x06")]
_ISO_MEDIA = [(4, b"ftyp")]
MAGIC = {
    "pdf": [(0, b"%PDF-")],
    "doc": _CFB, "xls": _CFB, "ppt": _CFB,
    "docx": _ZIP, "xlsx": _ZIP, "pptx": _ZIP, "odt": _ZIP, "ods": _ZIP, "zip": _ZIP,
    "png": [(0, b"\x89PNG\r\n\x1a\n")],
    "jpg": [(0, b"\xff\xd8\xff")], "jpeg": [(0, b"\xff\xd8\xff")],
    "gif": [(0, b"GIF87a"), (0, b"GIF89a")],
    "webp": [(8, b"WEBP")],  # RIFF....WEBP
    "bmp": [(0, b"BM")],
    "tif": [(0, b"II*\x00"), (0, b"MM\x00*")], "tiff": [(0, b"II*\x00"), (0, b"MM\x00*")],
    "mp3": [(0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2"), (0, b"\xff\xfa")],
    "wav": [(8, b"WAVE")],
    "m4a": _ISO_MEDIA, "mp4": _ISO_MEDIA,
    "mov": [*_ISO_MEDIA, (4, b"moov"), (4, b"mdat"), (4, b"wide"), (4, b"free"), (4, b"skip")],
    "amr": [(0, b"#!AMR")],
    "avi": [(8, b"AVI ")],
    "wmv": [(0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11")],  # ASF
    "rar": [(0, b"Rar!\x1a\x07")],
    "7z": [(0, b"7z\xbc\xaf\x27\x1c")],
}
_RIFF = {"webp", "wav", "avi"}
# The part an Office / OpenDocument zip must hold (a plain zip renamed .docx is not one).
_ZIP_MEMBER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_OPENDOCUMENT = {"odt": b"application/vnd.oasis.opendocument.text",
                 "ods": b"application/vnd.oasis.opendocument.spreadsheet"}
TEXT_TYPES = {"txt", "csv"}
# Markup a browser would run, at the start of a "text" file (a web page renamed .txt).
_MARKUP = re.compile(r"^\s*<\s*(!doctype|!--|html|head|body|script|iframe|svg|object|embed|meta|\?xml|a\s|img|div|form|style)",
                     re.IGNORECASE)


def _content_matches(ext: str, fh) -> bool:
    fh.seek(0)
    head = fh.read(65536)
    fh.seek(0)
    if ext in TEXT_TYPES:
        return _is_plain_text(head)
    signatures = MAGIC.get(ext)
    if signatures is None:
        return True
    if not any(head[offset:offset + len(sig)] == sig for offset, sig in signatures):
        return False
    if ext in _RIFF and not head.startswith(b"RIFF"):
        return False
    if ext in _ZIP_MEMBER or ext in _OPENDOCUMENT:
        import zipfile

        try:
            with zipfile.ZipFile(fh) as zf:
                if ext in _OPENDOCUMENT:
                    return zf.read("mimetype").strip() == _OPENDOCUMENT[ext]
                return any(n.startswith(_ZIP_MEMBER[ext]) for n in zf.namelist())
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False
        finally:
            fh.seek(0)
    return True


def _is_plain_text(head: bytes) -> bool:
    """Text a person reads: UTF-8, GB18030 or UTF-16 (with its mark), no NUL, not markup."""
    import codecs

    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    else:
        if b"\x00" in head:
            return False
        text = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            return False
    return not _MARKUP.match(text)


def file_extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_upload(uploaded) -> str:
    """Check size, extension and content signature; return the extension. Raises ValidationError."""
    name = uploaded.name or ""
    ext = file_extension(name)
    if ext not in settings.ATTACHMENT_ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("File type .%(ext)s is not allowed (%(name)s).") % {"ext": ext or "?", "name": name}, code="type"
        )
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": name, "size": uploaded.size / 1048576, "limit": settings.ATTACHMENT_MAX_BYTES // 1048576},
            code="size",
        )
    if uploaded.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    if not _content_matches(ext, uploaded):
        raise ValidationError(
            _("The content of %(name)s is not a .%(ext)s file.") % {"name": name, "ext": ext}, code="content"
        )
    return ext


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


# Files holding personal data are stored sealed: MAGIC + the id of the personal-data key + "\n" +
# a random 12-byte nonce + AES-256-GCM of the content under that key (core.personal.cipher,
# the one cipher of the product). The key id lets a file sealed before a key rotation be read as
# long as its key stays in PERSONAL_DATA_KEYS (files are deleted after their retention period).
SEALED_MAGIC = b"SCSEAL2\n"
_SEALED_V1 = b"SCSEAL1\n"  # no key id: sealed under the key current at the time
_SEALED_AAD = b"safecommunity.archive.attachment"


def is_sealed(head: bytes) -> bool:
    return head[:len(SEALED_MAGIC)] in (SEALED_MAGIC, _SEALED_V1)


def seal(data: bytes) -> bytes:
    import os

    from safecommunity.core.personal import NONCE, cipher, key_id

    kid = key_id()
    nonce = os.urandom(NONCE)
    return SEALED_MAGIC + kid.encode() + b"\n" + nonce + cipher(kid).encrypt(nonce, data, _SEALED_AAD)


def unseal_into(src, dst, chunk: int = 1 << 20) -> None:
    """Write the clear content of a stored file, read from the binary file `src`, to `dst` a chunk
    at a time (the sealed copy is never held whole: a 60 MB import file needs 60 MB, not four
    times that). The tag is checked at the end: on ValueError (no key decrypts it) discard `dst`.
    A file sealed before key ids (SCSEAL1) is read whole and tried under every key (`unseal`)."""
    head = src.read(len(SEALED_MAGIC))
    if head != SEALED_MAGIC:
        dst.write(unseal(head + src.read()))
        return
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from safecommunity.core.personal import NONCE, key_ring

    kid = b""
    while (ch := src.read(1)) not in (b"\n", b""):
        kid += ch
    key = key_ring()[1].get(kid.decode("ascii", "replace"))
    nonce = src.read(NONCE)
    if key is None or len(nonce) != NONCE:
        raise ValueError("the sealed file cannot be decrypted with the keys in PERSONAL_DATA_KEYS")
    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).decryptor()
    decryptor.authenticate_additional_data(_SEALED_AAD)
    held = b""  # the last 16 bytes read are (so far) the tag
    while data := src.read(chunk):
        data = held + data
        held = data[-16:]
        dst.write(decryptor.update(data[:-16]))
    try:
        dst.write(decryptor.finalize_with_tag(held))
    except (InvalidTag, ValueError) as exc:
        raise ValueError("the sealed file cannot be decrypted with the keys in PERSONAL_DATA_KEYS") from exc


def unseal(raw: bytes) -> bytes:
    """The clear content of a stored file (a file stored before sealing began is returned as is)."""
    if not is_sealed(raw):
        return raw
    from cryptography.exceptions import InvalidTag

    from safecommunity.core.personal import NONCE, cipher, key_ring

    if raw.startswith(SEALED_MAGIC):
        kid, _sep, body = raw[len(SEALED_MAGIC):].partition(b"\n")
        kids = [kid.decode("ascii", "replace")]
    else:
        body, kids = raw[len(_SEALED_V1):], list(key_ring()[1])
    for kid in kids:
        try:
            return cipher(kid).decrypt(body[:NONCE], body[NONCE:], _SEALED_AAD)
        except (InvalidTag, KeyError):
            continue
    raise ValueError("the sealed file cannot be decrypted with the keys in PERSONAL_DATA_KEYS")


@transaction.atomic
def attachment_create(*, uploaded, org_unit, actor, obj=None, role: str = "", element=None, title: str = "",
                      document_date=None) -> Attachment:
    """Store one uploaded file for `org_unit` (and the record `obj`, if any)."""
    ext = validate_upload(uploaded)
    attachment = Attachment(
        org_unit=org_unit,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        role=role,
        original_name=PurePath(uploaded.name).name[:255],
        size=uploaded.size,
        sha256=sha256_of(uploaded),
        kind=KIND_BY_EXTENSION.get(ext, Attachment.Kind.DOCUMENT),
        element=element,
        title=title,
        document_date=document_date,
        uploaded_by=actor,
    )
    if attachment.is_personal:  # stored encrypted, under a name that tells nothing of the content
        import secrets

        from django.core.files.base import ContentFile

        uploaded.seek(0)
        attachment.file.save(f"{secrets.token_hex(8)}.sealed", ContentFile(seal(uploaded.read())), save=False)
        uploaded.seek(0)
    else:
        attachment.file.save(f"{attachment.sha256[:16]}.{ext}", uploaded, save=False)
    attachment.save()
    return attachment


def personal_file_readable(attachment: Attachment, user) -> bool:
    """Whether `user` may download this file holding personal data: who sees the clear values of
    its unit's injury records (core.personal.can_see_personal), and only while it is kept."""
    from safecommunity.core.personal import can_see_personal

    return bool(attachment.file) and can_see_personal(user, attachment.org_unit_id)


def personal_files_sweep(*, days: int | None = None, dry_run: bool = False) -> dict[str, list[str]]:
    """Delete the stored content of files holding personal data once older than the retention
    period (PERSONAL_FILE_RETENTION_DAYS; the row stays, with name, size and checksum, as the
    record of what was imported), and seal any such file still stored in clear (kept before
    sealing began). Returns {"deleted": [...], "sealed": [...]} (names; with dry_run nothing is changed)."""
    from django.utils import timezone

    days = settings.PERSONAL_FILE_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    done: dict[str, list[str]] = {"deleted": [], "sealed": []}
    for att in Attachment.all_files.filter(role__in=settings.ATTACHMENT_PERSONAL_ROLES).exclude(file="").iterator():
        storage, name = att.file.storage, att.file.name
        if att.uploaded_at < cutoff:
            done["deleted"].append(name)
            if not dry_run:
                storage.delete(name)
                att.file = ""
                att.save(update_fields=["file"])  # audited: the file's content is gone
            continue
        try:
            with storage.open(name, "rb") as fh:
                head = fh.read(len(SEALED_MAGIC))
        except OSError:
            continue
        if not is_sealed(head):
            done["sealed"].append(name)
            if not dry_run:
                import secrets

                from django.core.files.base import ContentFile

                with storage.open(name, "rb") as fh:
                    clear = fh.read()
                att.file.save(f"{secrets.token_hex(8)}.sealed", ContentFile(seal(clear)), save=False)
                att.save(update_fields=["file"])
                storage.delete(name)
    return done


def attachment_verify(attachment: Attachment) -> bool:
    """Whether the stored file still has the checksum taken at upload."""
    import io

    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as fh:
            if attachment.is_personal:  # the checksum is of the clear content
                return sha256_of(io.BytesIO(unseal(fh.read()))) == attachment.sha256
            return sha256_of(fh) == attachment.sha256
    except (FileNotFoundError, OSError, ValueError):
        return False


def attachment_check(*, attachment: Attachment, actor) -> bool:
    """Verify the checksum now and record when and with what result (intact / changed)."""
    from django.utils import timezone

    from safecommunity.accounts.rules import require_scope

    if not (actor.role == "expert" and Attachment.objects.visible_to(actor).filter(pk=attachment.pk).exists()):
        require_scope(actor, attachment.org_unit)
    ok = attachment_verify(attachment)
    Attachment.objects.filter(pk=attachment.pk).update(verified_at=timezone.now(), verified_ok=ok)
    attachment.verified_ok = ok
    return ok


@transaction.atomic
def attachment_file(*, uploaded, org_unit, actor, element, title: str, document_date=None) -> Attachment:
    """A unit files a document directly into its creation archive (element and title required)."""
    from safecommunity.accounts.rules import require_role, require_scope

    require_role(actor, *permissions.write.roles)
    require_scope(actor, org_unit)
    errors = {}
    if element is None:
        errors["element"] = _("Choose the AQ/T 9001 element the document belongs to.")
    if not (title or "").strip():
        errors["title"] = _("Give the document a title.")
    if uploaded is None:
        errors["file"] = _("Choose a file to upload.")
    if errors:
        raise ValidationError(errors)
    try:
        return attachment_create(uploaded=uploaded, org_unit=org_unit, actor=actor, role="archive", element=element,
                                 title=title.strip(), document_date=document_date)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


@transaction.atomic
def attachment_set_element(*, attachment: Attachment, actor, element, title: str | None = None,
                           document_date=None) -> Attachment:
    """Index a file under an element (files of other records may come without one)."""
    from safecommunity.accounts.rules import require_role, require_scope

    require_role(actor, *permissions.write.roles)
    require_scope(actor, attachment.org_unit)
    if element is not None and element.codelist.key != "aqt_element":
        raise ValidationError({"element": _("Not an AQ/T 9001 element.")})
    attachment.element = element
    fields = ["element"]
    if title is not None:
        attachment.title = title.strip()[:200]
        fields.append("title")
    if document_date is not None:
        attachment.document_date = document_date
        fields.append("document_date")
    attachment.save(update_fields=fields)
    return attachment


def orphan_files_sweep(*, older_than: timedelta = timedelta(days=1), dry_run: bool = False) -> list[str]:
    """Delete stored files under attachments/ that no Attachment refers to. A file is saved
    before its Attachment row; when the surrounding transaction is rolled back (an upload
    refused by a later check) the file stays behind. Files younger than `older_than` are left
    alone: their transaction may still be running. Works through the storage API (local disk or
    S3). Returns the names removed (or that would be, with dry_run)."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    referenced = set(Attachment.all_files.values_list("file", flat=True))  # personal files too
    cutoff = timezone.now() - older_than
    removed = []
    for name in _walk(default_storage, "attachments"):
        if name in referenced:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            continue
        if modified > cutoff:
            continue
        if not dry_run:
            default_storage.delete(name)
        removed.append(name)
    return removed


def _walk(storage, folder: str):
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for f in files:
        yield f"{folder}/{f}"
    for d in dirs:
        yield from _walk(storage, f"{folder}/{d}")
