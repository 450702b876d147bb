"""The evaluation report as a Word document (.docx), from the same live data as the PDF."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from .pdf import report_data

FONT = "宋体"


def _table(doc, header, rows):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def evaluation_report_docx(application, user) -> bytes:
    data = report_data(application, user)
    app, scheme = data["app"], data["scheme"]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Chinese glyphs use the Chinese font

    doc.add_heading(_("Safe community evaluation report: %(u)s") % {"u": app.org_unit.name}, level=1)
    doc.add_paragraph(
        _("Scheme: %(s)s · status: %(st)s · site visit: %(d)s · result: %(r)s · final total: %(t)s of %(m)s")
        % {"s": scheme.name, "st": app.get_status_display(), "d": app.site_visit_on or "—",
           "r": app.get_result_display() or "—", "t": app.final_total if app.final_total is not None else "—",
           "m": scheme.total_points})
    doc.add_paragraph(_("Panel: %(p)s") % {"p": "、".join(str(m.expert) for m in data["panel"]) or "—"})
    doc.add_paragraph(_("Generated %(t)s from live data.") % {"t": data["generated_at"].strftime("%Y-%m-%d %H:%M")})

    doc.add_heading(_("Scores per element"), level=2)
    _table(doc, [_("Element"), _("Maximum"), _("Self-assessment"), _("Final")],
           [(f"{code} {r['name']}", r["max"], r["self"], r["final"]) for code, r in data["by_element"]])

    doc.add_heading(_("Scores per item"), level=2)
    _table(doc, [_("No."), pgettext("score", "Item"), _("Self"), _("Final"), pgettext("score", "Comment")],
           [(item.number, item.text, s.points if s else "—", f.points if f else "—", f.comment if f else "")
            for item, s, f in data["items"]])

    doc.add_heading(_("Evidence"), level=2)
    evidence = [(item.number, "；".join(f"{f} ({f.sha256[:16]}…)" for f in files)) for item, files in data["evidence"]]
    _table(doc, [_("No."), _("Evidence files (SHA-256)")], evidence or [("", _("No evidence linked."))])

    doc.add_heading(_("Deductions and rectification list"), level=2)
    rects = [(r.item.number, r.description, r.deduction, r.get_status_display(), r.done_note)
             for r in data["rectifications"]]
    _table(doc, [_("No."), _("What to rectify"), _("Deduction"), _("Status"), _("What was done")],
           rects or [("", _("No deductions."), "", "", "")])

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
