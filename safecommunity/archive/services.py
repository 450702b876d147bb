"""Storing and verifying files. Limits are checked before anything is written."""

import hashlib
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Attachment

KIND_BY_EXTENSION = {
    **dict.fromkeys(["jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff"], Attachment.Kind.PHOTO),
    **dict.fromkeys(["mp3", "wav", "m4a", "amr"], Attachment.Kind.AUDIO),
    **dict.fromkeys(["mp4", "mov", "avi", "wmv"], Attachment.Kind.VIDEO),
    **dict.fromkeys(["xls", "xlsx", "csv", "ods"], Attachment.Kind.SPREADSHEET),
}
# The first bytes of common formats: a file whose content contradicts its extension is refused.
MAGIC = {
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "gif": [b"GIF8"],
    "zip": [b"PK"],
    "docx": [b"PK"],
    "xlsx": [b"PK"],
    "pptx": [b"PK"],
}


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
    if ext in MAGIC:
        uploaded.seek(0)
        head = uploaded.read(8)
        uploaded.seek(0)
        if not any(head.startswith(sig) for sig in MAGIC[ext]):
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
    attachment.file.save(f"{attachment.sha256[:16]}.{ext}", uploaded, save=False)
    attachment.save()
    return attachment


def attachment_verify(attachment: Attachment) -> bool:
    """Whether the stored file still has the checksum taken at upload."""
    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as fh:
            return sha256_of(fh) == attachment.sha256
    except (FileNotFoundError, OSError):
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

    require_role(actor, "unit", "district", "city")
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

    require_role(actor, "unit", "district", "city")
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

    referenced = set(Attachment.objects.values_list("file", flat=True))
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
