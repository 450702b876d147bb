"""PDF (reportlab) and Excel output of a report and of the city summary.

Chinese text: the font of every PDF the product writes (core.pdf.chinese_font: the WenQuanYi
Micro Hei TTF embedded when installed, else the built-in CID font STSong-Light)."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safecommunity.core.excel import XLSX_MIME, workbook_bytes
from safecommunity.core.pdf import chinese_font, pdf_lock, styles, table

from . import figures as fig


def _table(rows, widths=None):
    """core.pdf's grid table, each cell a wrapping paragraph ("—" for nothing)."""
    from reportlab.platypus import Paragraph

    st = styles()
    data = [[Paragraph(str(c if c is not None else "—"), st["base"]) for c in row] for row in rows]
    return table(data, widths, chinese_font())


def _pdf_response(story, filename: str) -> HttpResponse:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=filename)
    with pdf_lock:
        doc.build(story)
    response = HttpResponse(buf.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{filename}.pdf")
    return response


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else "—"


def report_rows(report) -> list[tuple[str, object]]:
    labels = fig.figure_labels()
    return [(labels.get(k, (k, ""))[0], v) for k, v in report.figures.items()]


def report_title(report) -> str:
    return _("%(unit)s monthly progress report %(month)s") % {"unit": report.org_unit.name,
                                                             "month": report.period.strftime("%Y-%m")}


def report_pdf(report, steps) -> HttpResponse:
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    title = report_title(report)
    story = [Paragraph(title, st["h1"]),
             Paragraph(_("Status: %(status)s · Version %(v)d · Nil report: %(nil)s · Signed by: %(who)s") % {
                 "status": report.get_status_display(), "v": report.version,
                 "nil": _("Yes") if report.is_nil else _("No"),
                 "who": report.signed_by.name if report.signed_by else "—"}, st["small"]),
             Spacer(1, 6), Paragraph(_("Figures of the month"), st["h2"]),
             _table([(_("Figure"), _("Value"))] + report_rows(report), widths=[300, 150])]
    for label, text in ((_("Work done this month"), report.work_done), (pgettext("monthly report", "Problems"), report.problems),
                        (_("Plans for next month"), report.next_plans)):
        story += [Paragraph(label, st["h2"]), Paragraph((text or "—").replace("\n", "<br/>"), st["base"])]
    story += [Paragraph(_("Review steps"), st["h2"]),
              _table([(_("Step"), _("By"), _("At"), _("Note"))]
                     + [(s.get_action_display(), str(s.actor or "—"), _local(s.at), s.note) for s in steps],
                     widths=[90, 90, 90, 190])]
    return _pdf_response(story, title)


def report_xlsx(report, steps) -> HttpResponse:
    title = report_title(report)
    info = [(_("Unit"), report.org_unit.name), (_("Month"), report.period.strftime("%Y-%m")),
            (_("Status"), report.get_status_display()), (_("Nil report"), _("Yes") if report.is_nil else _("No")),
            (_("Version"), report.version), (_("Signed by"), report.signed_by.name if report.signed_by else ""),
            (_("First submitted at"), report.first_submitted_at), (_("Work done this month"), report.work_done),
            (pgettext("monthly report", "Problems"), report.problems), (_("Plans for next month"), report.next_plans)]
    data = workbook_bytes([
        (_("Monthly report"), [_("Item"), _("Value")], info),
        (_("Figures"), [_("Figure"), _("Value")], report_rows(report)),
        (_("Review steps"), [_("Step"), _("By"), _("At"), _("Note")],
         [(s.get_action_display(), str(s.actor or ""), s.at, s.note) for s in steps]),
    ])
    return _xlsx(data, title)


def _xlsx(data: bytes, title: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, f"{title}.xlsx")
    return response


def city_summary_title(summary) -> str:
    return _("City monthly summary %(month)s") % {"month": summary["period"].strftime("%Y-%m")}


def city_summary_table(summary) -> list[list]:
    header = [_("District/county"), _("Summary status")] + [label for _k, label in summary["keys"]]
    rows = [header]
    for r in summary["rows"]:
        status = r["report"].get_status_display() if r["report"] else _("Not submitted")
        rows.append([r["district"].name, status] + ["—" if v is None else v for v in r["values"]])
    rows.append([_("City total (approved summaries)"), ""] + summary["totals"])
    return rows


def city_summary_pdf(summary) -> HttpResponse:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    st = styles()
    title = city_summary_title(summary)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title)
    rows = city_summary_table(summary)
    with pdf_lock:
        doc.build([Paragraph(title, st["h1"]), _table(rows)])
    response = HttpResponse(buf.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{title}.pdf")
    return response


def city_summary_xlsx(summary) -> HttpResponse:
    rows = city_summary_table(summary)
    title = city_summary_title(summary)
    return _xlsx(workbook_bytes([(title, rows[0], rows[1:])]), title)
