"""reportlab in a threaded server: one PDF is built at a time.

reportlab keeps document state in objects shared by the whole process — a registered TTFont
holds each document's subsets in a WeakKeyDictionary, `pdfmetrics` the registry of fonts — and
neither is safe across threads: report PDFs from 8 threads at once answered 500 twice in 162.
Building a PDF is CPU work under the GIL, so serialising it costs no throughput. Register fonts
and build documents inside `with pdf_lock:` (re-entrant: a builder may register its font)."""

import threading

pdf_lock = threading.RLock()
