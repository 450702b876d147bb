"""An A4 sheet of patrol points' QR codes to print and fix on site (reportlab; the QR matrix
comes from the `qrcode` package and is drawn as vector squares, so no image library is needed)."""

import io

import qrcode
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from safecommunity.core.pdf import chinese_font

COLS, ROWS = 2, 3


def qr_matrix(text: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.get_matrix()


def qr_svg(text: str) -> str:
    """The same code as an inline SVG for the point's page."""
    m = qr_matrix(text)
    n = len(m)
    cells = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(m) for x, on in enumerate(row) if on)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" shape-rendering="crispEdges" '
            f'role="img"><rect width="{n}" height="{n}" fill="#fff"/><path d="{cells}" fill="#000"/></svg>')


def _draw_qr(c, text, x, y, size):
    m = qr_matrix(text)
    cell = size / len(m)
    c.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(m):
        for col, on in enumerate(row):
            if on:
                c.rect(x + col * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def qr_sheet(points, url_for) -> bytes:
    """Six codes an A4 page: each with the point's unit, name, place and rhythm beneath."""
    font = chinese_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(_("Patrol point QR codes"))
    width, height = A4
    cell_w, cell_h = (width - 20 * mm) / COLS, (height - 20 * mm) / ROWS
    size = 62 * mm
    points = list(points)
    for i, point in enumerate(points):
        slot = i % (COLS * ROWS)
        if i and slot == 0:
            c.showPage()
        col, row = slot % COLS, slot // COLS
        x0, y0 = 10 * mm + col * cell_w, height - 10 * mm - (row + 1) * cell_h
        c.setStrokeColorRGB(.7, .7, .7)
        c.setDash(3, 3)
        c.rect(x0, y0, cell_w, cell_h, stroke=1, fill=0)
        c.setDash()
        qx = x0 + (cell_w - size) / 2
        _draw_qr(c, url_for(point), qx, y0 + cell_h - size - 6 * mm, size)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, 13)
        c.drawCentredString(x0 + cell_w / 2, y0 + 24 * mm, f"{point.org_unit.name} · {point.name}"[:28])
        c.setFont(font, 9)
        c.drawCentredString(x0 + cell_w / 2, y0 + 17 * mm, point.place[:40])
        c.drawCentredString(x0 + cell_w / 2, y0 + 11 * mm,
                            _("Every %(n)d days, %(a)s–%(b)s · scan with the phone to patrol")
                            % {"n": point.every_days, "a": point.window_start.strftime("%H:%M"),
                               "b": point.window_end.strftime("%H:%M")})
    if not points:
        c.setFont(font, 12)
        c.drawString(20 * mm, height - 30 * mm, _("No patrol points."))
    c.showPage()
    c.save()
    return buf.getvalue()
