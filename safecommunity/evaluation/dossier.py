"""The application dossier (申报材料) in one step: one zip the unit sends and the experts read.

    00 contents.xlsx          table of contents: every file with its element, size and SHA-256
    00 SHA256SUMS.txt         the same checksums in `sha256sum -c` format
    01 work report/           the work report the unit uploaded (and the evaluation report .docx once scored)
    02 self-assessment.xlsx   every item: grades, points, comment, evidence files linked
    03 indicators.xlsx        the computed indicators of the last three years (evidence.py of every app)
    04 archive/<element>/     the archive binder, a folder per AQ/T 9001 element (archive.binder)
"""

import hashlib
import tempfile
import zipfile
from pathlib import PurePath

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safecommunity.archive.binder import TOC_NAME, toc_headers, write_binder
from safecommunity.archive.models import Attachment
from safecommunity.archive.selectors import elements
from safecommunity.core.excel import workbook_bytes
from safecommunity.core.registry import evidence_for

SUMS_NAME = "SHA256SUMS.txt"


def indicator_rows(creating_unit) -> list[list]:
    """(element, indicator, value) of every computed record of the last three years (archive files excluded)."""
    rows = []
    for element in elements():
        for row in evidence_for(creating_unit=creating_unit, element=element.code):
            if row["app"] != "archive":
                rows.append([f"{element.code} {element.name}", row["label"], row["value"] or ""])
    return rows


def self_assessment_rows(application) -> list[list]:
    rows = []
    for s in application.self_scores.select_related("item__element").prefetch_related("evidence_files"):
        item = s.item
        rows.append([item.number, item.element.code if item.element_id else "", item.text, float(item.max_points),
                     s.presence, s.evidence, s.effect, float(s.points), s.comment,
                     "；".join(str(f) for f in s.evidence_files.all())])
    return rows


def build_dossier(application, user):
    """Write the dossier to a temporary file; return (file positioned at 0, toc rows).
    Toc rows: [no., element, path in the zip, size, SHA-256]."""
    unit = application.creating_unit
    toc: list[list] = []
    out = tempfile.SpooledTemporaryFile(max_size=50 * 1024 * 1024)

    def add(zf, path: str, data: bytes, element: str = ""):
        zf.writestr(path, data)
        toc.append([len(toc) + 1, element, path, len(data), hashlib.sha256(data).hexdigest()])

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        e10 = next((f"{e.code} {e.name}" for e in elements() if e.code == "E10"), "")
        report = application.work_report
        if report is not None and Attachment.objects.visible_to(user).filter(pk=report.pk).exists():
            try:
                with report.file.storage.open(report.file.name, "rb") as fh:
                    add(zf, f"01 {_('Work report')}/{_('Work report')}{PurePath(report.original_name).suffix}",
                        fh.read(), e10)
            except OSError:
                pass
        if application.status in ("decided", "designated", "rejected"):
            from .docx_report import evaluation_report_docx

            add(zf, f"01 {_('Work report')}/{_('Evaluation report')}.docx",
                evaluation_report_docx(application, user), e10)
        add(zf, f"02 {_('Self-assessment')}.xlsx", workbook_bytes([(_("Self-assessment"), [
            _("No."), _("Element"), pgettext("score", "Item"), _("Points"), _("Presence"), _("Evidence"), _("Effect"),
            _("Score"), pgettext("score", "Comment"), _("Evidence files")], self_assessment_rows(application))]), e10)
        add(zf, f"03 {_('Indicators of the last three years')}.xlsx", workbook_bytes([(
            _("Indicators"), [_("Element"), _("Indicator"), _("Value")], indicator_rows(unit))]), e10)
        prefix = f"04 {_('Archive')}/"
        files = Attachment.objects.visible_to(user).filter(org_unit=application.org_unit)
        binder_rows = write_binder(zf, files, prefix=prefix, on_write=lambda path, element, data: toc.append(
            [len(toc) + 1, element, path, len(data), hashlib.sha256(data).hexdigest()]))
        add(zf, prefix + TOC_NAME, workbook_bytes([(_("Contents"), toc_headers(), binder_rows)]), e10)
        sums = "".join(f"{sha}  {path}\n" for _n, _e, path, _size, sha in toc).encode("utf-8")
        zf.writestr(SUMS_NAME, sums)
        title = _("Application dossier of %(unit)s, %(date)s") % {"unit": application.org_unit.name,
                                                                  "date": timezone.localdate()}
        zf.writestr(TOC_NAME, workbook_bytes([(_("Contents"), [
            _("No."), _("Element"), _("File"), _("Size (bytes)"), _("SHA-256 checksum")], toc)]))
        zf.comment = title.encode("utf-8")[:60000]
    out.seek(0)
    return out, toc
