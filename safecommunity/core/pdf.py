"""reportlab in a threaded server: one PDF is built at a time.

reportlab keeps document state in objects shared by the whole process — a registered TTFont
holds each document's subsets in a WeakKeyDictionary, `pdfmetrics` the registry of fonts — and
neither is safe across threads: report PDFs from 8 threads at once answered 500 twice in 162.
Building a PDF is CPU work under the GIL, so serialising it costs no throughput. Register fonts
and build documents inside `with pdf_lock:` (re-entrant: a builder may register its font)."""

import threading
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Table, TableStyle

pdf_lock = threading.RLock()

# --- the Chinese font and the shared styles of every PDF the product writes -----------------

TTF = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def chinese_font() -> str:
    """Register WenQuanYi Micro Hei (embedded); fall back to the CID font STSong-Light."""
    with pdf_lock:  # registered once, by one thread
        return _chinese_font()


@cache
def _chinese_font() -> str:
    if TTF.exists():
        from reportlab.pdfbase.ttfonts import TTFont

        try:
            pdfmetrics.registerFont(TTFont("WQY", str(TTF), subfontIndex=0))
            return "WQY"
        except Exception:  # noqa: BLE001 - a broken font file must not break the PDF
            pass
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def styles() -> dict:
    """Paragraph styles in the Chinese font: base, small, h1, h2."""
    font = chinese_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "h1": ParagraphStyle("h1", parent=base, fontSize=18, leading=24, alignment=1, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
    }


def table(rows, widths, font):
    """A grid table with a shaded header row that repeats on every page."""
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return t
