"""PDFs from live data: the certificate and the evaluation report (reportlab, Chinese font)."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from safecommunity.archive.models import Attachment
from safecommunity.core.pdf import chinese_font, pdf_lock, styles, table


def report_data(application, user) -> dict:
    """Everything the report shows, from live data (shared by the PDF and the printable page)."""
    scheme = application.scheme
    finals = {f.item_id: f for f in application.final_scores.all()}
    selfs = {s.item_id: s for s in application.self_scores.prefetch_related("evidence_files")}
    items = list(scheme.items.select_related("element"))
    elements: dict = {}
    for item in items:
        key = item.element.code if item.element_id else "—"
        row = elements.setdefault(key, {"name": item.element.name if item.element_id else item.heading,
                                        "max": Decimal(0), "self": Decimal(0), "final": Decimal(0)})
        row["max"] += item.max_points
        row["self"] += selfs[item.pk].points if item.pk in selfs else 0
        row["final"] += finals[item.pk].points if item.pk in finals else 0
    evidence = []
    for item in items:
        s = selfs.get(item.pk)
        if s is not None:
            files = [f for f in s.evidence_files.all()]
            if files:
                evidence.append((item, files))
    return {
        "app": application, "scheme": scheme, "items": [(i, selfs.get(i.pk), finals.get(i.pk)) for i in items],
        "by_element": sorted(elements.items()), "evidence": evidence,
        "rectifications": list(application.rectifications.select_related("item")),
        "panel": list(application.panel.select_related("expert")),
        "generated_at": timezone.localtime(),
        "archive_count": Attachment.objects.filter(org_unit=application.org_unit).count(),
    }


def evaluation_report_pdf(application, user) -> bytes:
    data = report_data(application, user)
    st = styles()
    font = chinese_font()
    app = data["app"]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=_("Evaluation report"))
    story = [
        Paragraph(_("Safe community evaluation report: %(u)s") % {"u": app.org_unit.name}, st["h1"]),
        Paragraph(_("Scheme: %(s)s · status: %(st)s · site visit: %(d)s · result: %(r)s · final total: %(t)s of %(m)s")
                  % {"s": data["scheme"].name, "st": app.get_status_display(), "d": app.site_visit_on or "—",
                     "r": app.get_result_display() or "—", "t": app.final_total if app.final_total is not None else "—",
                     "m": data["scheme"].total_points}, st["base"]),
        Paragraph(_("Panel: %(p)s") % {"p": "、".join(str(m.expert) for m in data["panel"]) or "—"}, st["base"]),
        Paragraph(_("Generated %(t)s from live data.") % {"t": data["generated_at"].strftime("%Y-%m-%d %H:%M")},
                  st["small"]),
        Paragraph(_("Scores per element"), st["h2"]),
    ]
    rows = [[_("Element"), _("Maximum"), _("Self-assessment"), _("Final")]]
    for code, r in data["by_element"]:
        rows.append([Paragraph(f"{code} {r['name']}", st["base"]), r["max"], r["self"], r["final"]])
    story.append(table(rows, [95 * mm, 25 * mm, 30 * mm, 30 * mm], font))
    story.append(Paragraph(_("Scores per item"), st["h2"]))
    rows = [[_("No."), pgettext("score", "Item"), _("Self"), _("Final"), pgettext("score", "Comment")]]
    for item, s, f in data["items"]:
        rows.append([item.number, Paragraph(item.text, st["small"]), s.points if s else "—",
                     f.points if f else "—", Paragraph(f.comment if f else "", st["small"])])
    story.append(table(rows, [10 * mm, 85 * mm, 15 * mm, 15 * mm, 55 * mm], font))
    story.append(Paragraph(_("Evidence"), st["h2"]))
    rows = [[_("No."), _("Evidence files (SHA-256)")]]
    for item, files in data["evidence"]:
        rows.append([item.number, Paragraph("<br/>".join(f"{f} ({f.sha256[:16]}…)" for f in files), st["small"])])
    if len(rows) == 1:
        rows.append(["", _("No evidence linked.")])
    story.append(table(rows, [12 * mm, 168 * mm], font))
    story.append(Paragraph(_("Deductions and rectification list"), st["h2"]))
    rows = [[_("No."), _("What to rectify"), _("Deduction"), _("Status"), _("What was done")]]
    for r in data["rectifications"]:
        rows.append([r.item.number, Paragraph(r.description, st["small"]), r.deduction, r.get_status_display(),
                     Paragraph(r.done_note, st["small"])])
    if len(rows) == 1:
        rows.append(["", _("No deductions."), "", "", ""])
    story.append(table(rows, [12 * mm, 80 * mm, 20 * mm, 18 * mm, 50 * mm], font))
    with pdf_lock:
        doc.build(story)
    return buf.getvalue()


def certificate_pdf(designation) -> bytes:
    with pdf_lock:  # the canvas uses the font's per-document state while drawing
        return _certificate_pdf(designation)


def _certificate_pdf(designation) -> bytes:
    font = chinese_font()
    buf = io.BytesIO()
    from reportlab.pdfgen import canvas

    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setTitle(designation.certificate_no or "certificate")
    c.setStrokeColor(colors.HexColor("#B22222"))
    c.setLineWidth(6)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    c.setLineWidth(1.5)
    c.rect(20 * mm, 20 * mm, width - 40 * mm, height - 40 * mm)
    c.setFillColor(colors.HexColor("#B22222"))
    c.setFont(font, 40)
    c.drawCentredString(width / 2, height - 60 * mm, "证  书")
    c.setFillColor(colors.black)
    c.setFont(font, 20)
    c.drawCentredString(width / 2, height - 90 * mm, designation.creating_unit.org_unit.name)
    c.setFont(font, 16)
    c.drawCentredString(width / 2, height - 110 * mm, "经评定，符合安全社区建设基本要求，")
    c.drawCentredString(width / 2, height - 122 * mm, f"命名为“{designation.get_level_display()}”。")
    c.setFont(font, 12)
    c.drawString(35 * mm, 40 * mm, f"证书编号：{designation.certificate_no}")
    c.drawString(35 * mm, 32 * mm, f"有效期至：{designation.valid_until or '—'}")
    c.drawRightString(width - 35 * mm, 40 * mm, "重庆市安全生产委员会办公室")
    c.drawRightString(width - 35 * mm, 32 * mm, str(designation.designated_on or ""))
    c.showPage()
    c.save()
    return buf.getvalue()
