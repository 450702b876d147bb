"""The binder an evaluation team receives: one zip of a unit's archive, a folder per element,
with a table of contents (contents.xlsx) listing every file with its checksum."""

import tempfile
import zipfile
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.excel import workbook_bytes

from .elements import element_for
from .selectors import elements

TOC_NAME = "contents.xlsx"


def _safe(text: str) -> str:
    return "".join(ch for ch in text if ch not in '\\/:*?"<>|').strip()[:60] or "file"


def toc_headers() -> list[str]:
    return [_("No."), _("Element"), _("Title"), _("Path in the binder"), _("Kind"), _("Document date"),
            _("Uploaded by"), _("Uploaded at"), _("Size (bytes)"), _("SHA-256 checksum"), _("Source record")]


def write_binder(zf: zipfile.ZipFile, attachments, prefix: str = "", on_write=None) -> list[list]:
    """Write every file into `zf` under `prefix`, a folder per element; return the toc rows
    (the path column is the path in the zip; the checksum the one recorded at upload).
    `on_write(path, element label, data)` is called for every file written."""
    by_code = {e.code: e for e in elements()}
    cts = {ct.pk: ct for ct in ContentType.objects.all()}
    rows = []
    for number, att in enumerate(attachments.select_related("element", "uploaded_by").order_by(
            "element__sort_order", "document_date", "pk"), start=1):
        ct = cts.get(att.content_type_id)
        code = att.element.code if att.element_id else (element_for(ct.app_label, ct.model) if ct else "")
        element = by_code.get(code)
        folder = f"{code} {_safe(element.name)}" if element else _("unindexed")
        suffix = PurePath(att.original_name).suffix
        name = f"{prefix}{folder}/{number:04d}_{_safe(att.title or PurePath(att.original_name).stem)}{suffix}"
        try:
            with att.file.storage.open(att.file.name, "rb") as fh:
                data = fh.read()
            zf.writestr(name, data)
            if on_write is not None:
                on_write(name, f"{code} {element.name}" if element else _("unindexed"), data)
        except OSError:
            name = _("(missing from storage)")
        rows.append([
            number, f"{code} {element.name}" if element else "", str(att), name, att.get_kind_display(),
            att.document_date, str(att.uploaded_by or ""), timezone.localtime(att.uploaded_at).replace(tzinfo=None),
            att.size, att.sha256, f"{ct.app_label}.{ct.model}#{att.object_id}" if ct else "",
        ])
    return rows


def build_binder(org_unit, attachments):
    """Write the zip to a temporary file; return (file object positioned at 0, toc rows)."""
    out = tempfile.SpooledTemporaryFile(max_size=50 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        rows = write_binder(zf, attachments)
        title = _("Creation archive of %(unit)s") % {"unit": org_unit.name}
        zf.writestr(TOC_NAME, workbook_bytes([(_("Contents"), toc_headers(), rows)]))
        zf.comment = title.encode("utf-8")[:60000]
    out.seek(0)
    return out, rows
