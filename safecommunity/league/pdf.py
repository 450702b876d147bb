"""The league table as a printable A4 landscape PDF for publication."""

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from safecommunity.core.pdf import chinese_font


def table_pdf(title: str, headers: list[str], rows: list[list]) -> bytes:
    font = chinese_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title)
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, alignment=1)
    note = ParagraphStyle("n", fontName=font, fontSize=8, leading=11, wordWrap="CJK")
    table = Table([headers, *[[str(c) for c in r] for r in rows]], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    doc.build([Paragraph(title, h1), Spacer(1, 4 * mm), table, Spacer(1, 3 * mm),
               Paragraph(_("Score: the weighted mean of the indicators a unit has figures for; equal scores "
                           "share a rank. Change: places moved since last quarter."), note)])
    return buf.getvalue()
