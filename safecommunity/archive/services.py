"""Storing and verifying files. Limits are checked before anything is written."""

import hashlib
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
