"""A crawler of the product as one signed-in user sees it (used by test_crawl.py).

It starts at the home page, the 待办 page and every entry of the left menu, follows every link in
the main content (ids normalised: a few pages per URL pattern), and on every list it meets clicks
page 2 and 导出 as they are shown, without pressing 查询. It reports, never asserts:

- `broken`: links answering 4xx/5xx, or a debug page;
- `pagers`: page-2 links that do not show page 2 or show the same first row;
- `exports`: 导出 links that give no .xlsx or a file with another number of rows than the list (a
  large list's export is a job: the file linked on the job's page);
- `drilldowns`: on statistics pages, links whose text is a number and that open a list showing
  another total.

`fetch(url) -> (status, content_type, body: bytes)` does the HTTP (a browser context, a test client).
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

HREF = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S)
ATTR_HREF = re.compile(r'href="([^"]*)"')
MAIN = re.compile(r"<main\b.*?</main>", re.S)
SIDEBAR = re.compile(r'<nav class="sc-sidebar\b[^"]*".*?</nav>', re.S)
TOTAL = re.compile(r'data-total="(\d+)"')
PAGE_OF = re.compile(r"第\s*(\d+)\s*/\s*(\d+)\s*页")
FIRST_ROW = re.compile(r"<tbody data-list-rows>\s*<tr[^>]*>(.*?)</tr>", re.S)
TAG = re.compile(r"<[^>]+>")
DEBUG_MARKERS = ("Traceback (most recent call last)", "Using the URLconf", "You're seeing this error because",
                 "Page not found (404)", "Server Error (500)")
SKIP_PREFIXES = ("/static/", "/accounts/logout", "/i18n/", "/api/", "/jsi18n/", "/admin/")
DOWNLOAD = re.compile(r"\.(pdf|docx|xlsx|csv|zip|png|jpe?g)$|/download/?$|/file/?$", re.I)
# Statistics pages: a number there that links to a list counts that list's rows.
DRILLDOWN_SOURCES = ("/hazards/stats/", "/hazards/map/")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# an export over EXPORT_SYNC_MAX_ROWS rows lands on its job's page (core.jobs); the file is linked there
JOB_FILE = re.compile(r'<a\b[^>]*href="(/jobs/\d+/file/)"[^>]*data-job-file')


def pattern(url: str) -> str:
    """The URL with its ids normalised: /hazards/17/?status=x → /hazards/{n}/?status."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$|\.)", "/{n}", parts.path)
    path = re.sub(r"/[A-Z]{1,4}\d*(?=/|$)", "/{code}", path)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(TAG.sub(" ", html))).strip()


@dataclass
class Report:
    user: str
    visited: int = 0
    broken: list = field(default_factory=list)
    pagers: list = field(default_factory=list)
    pagers_ok: int = 0
    exports: list = field(default_factory=list)
    exports_ok: int = 0
    drilldowns: list = field(default_factory=list)
    drilldowns_ok: int = 0

    def problems(self) -> list[str]:
        return [f"{self.user}: {p}" for p in self.broken + self.pagers + self.exports + self.drilldowns]


def _links(html: str, base: str, region: re.Pattern = MAIN) -> list[tuple[str, str, str]]:
    """(absolute path with query, link text, the <a> attributes) of each link inside `region`."""
    found = []
    for block in region.findall(html):
        for attrs, inner in HREF.findall(block):
            m = ATTR_HREF.search(attrs)
            if not m:
                continue
            href = unescape(m.group(1)).strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "http://", "https://", "data:")):
                continue  # not a page of ours (an absolute link is another site's)
            parts = urlsplit(urljoin(base, href))
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            found.append((path, text_of(inner), attrs))
    return found


def _xlsx_rows(body: bytes) -> int:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
    return len(rows)


class Crawler:
    def __init__(self, fetch, *, user: str, per_pattern: int = 2, budget: int = 250,
                 drilldown_sources: tuple[str, ...] = DRILLDOWN_SOURCES):
        self.fetch = fetch
        self.drilldown_sources = drilldown_sources
        self.report = Report(user=user)
        self.per_pattern = per_pattern
        self.budget = budget
        self.seen_urls: set[str] = set()
        self.per: dict[str, int] = defaultdict(int)
        self.lists_done: set[str] = set()

    def _get(self, url: str, came_from: str):
        status, ctype, body = self.fetch(url)
        self.report.visited += 1
        text = body.decode("utf-8", "replace") if "html" in (ctype or "") else ""
        if status >= 400:
            self.report.broken.append(f"{url} → {status} (linked from {came_from})")
        elif any(m in text for m in DEBUG_MARKERS):
            self.report.broken.append(f"{url} → debug page (linked from {came_from})")
        return status, ctype, body, text

    def crawl(self, start: list[str]) -> Report:
        queue: list[tuple[str, str]] = [(u, "start") for u in start]
        home_html = None
        while queue:
            url, came_from = queue.pop(0)
            if url in self.seen_urls:
                continue
            if self.report.visited >= self.budget and came_from not in ("start", "menu"):
                continue  # over the budget: the menu pages still, nothing else
            key = pattern(url)
            if self.per[key] >= self.per_pattern and came_from != "start":
                continue
            self.seen_urls.add(url)
            self.per[key] += 1
            if DOWNLOAD.search(urlsplit(url).path) or "export=" in url:
                self._get(url, came_from)
                continue
            status, ctype, body, html = self._get(url, came_from)
            if status >= 300 or not html:
                continue
            if home_html is None:
                home_html = html
                queue.extend((u, "menu") for u, _t, _a in _links(html, url, SIDEBAR)
                             if not u.startswith(SKIP_PREFIXES))
            self._check_list(url, html)
            for link, label, attrs in _links(html, url):
                if link.startswith(SKIP_PREFIXES) or "page-link" in attrs:
                    continue
                if label.isdigit() and "data-export" not in attrs and url.startswith(self.drilldown_sources):
                    self._check_drilldown(url, link, int(label))
                queue.append((link, url))
        return self.report

    def _check_list(self, url: str, html: str) -> None:
        """Page 2 and 导出 of a list, as shown before anyone presses 查询."""
        total = TOTAL.search(html)
        if not total or pattern(url) in self.lists_done:
            return
        self.lists_done.add(pattern(url))
        total = int(total.group(1))
        for link, _label, attrs in _links(html, url):
            if "data-export" in attrs:
                status, ctype, body, job_page = self._get(link, url)
                job_file = JOB_FILE.search(job_page or "")
                if status == 200 and job_file:  # a large list: exported by a job, the file on its page
                    status, ctype, body, _ = self._get(unescape(job_file.group(1)), link)
                if status != 200 or XLSX not in (ctype or ""):
                    self.report.exports.append(f"{link} from {url}: not an .xlsx ({status} {ctype})")
                    continue
                rows = _xlsx_rows(body)
                if rows - 1 != total and rows - 2 != total:  # a header row, maybe a title row above it
                    self.report.exports.append(f"{link} from {url}: {rows} rows in the file, {total} in the list")
                else:
                    self.report.exports_ok += 1
            elif 'rel="next"' in attrs:
                status, _ctype, _body, page2 = self._get(link, url)
                now = PAGE_OF.search(page2 or "")
                first = FIRST_ROW.search(html)
                second = FIRST_ROW.search(page2 or "")
                if status != 200 or not now or now.group(1) != "2":
                    self.report.pagers.append(f"{link} from {url}: page 2 not shown")
                elif first and second and text_of(first.group(1)) == text_of(second.group(1)):
                    self.report.pagers.append(f"{link} from {url}: page 2 begins with page 1's first row")
                else:
                    self.report.pagers_ok += 1

    def _check_drilldown(self, source: str, link: str, figure: int) -> None:
        if link in self.seen_urls or DOWNLOAD.search(urlsplit(link).path):
            return
        status, _ctype, _body, html = self._get(link, source)
        self.seen_urls.add(link)
        self.per[pattern(link)] += 1
        total = TOTAL.search(html or "")
        if status != 200 or not total:
            return  # not a list: the link is a record, a year…; broken links are reported anyway
        if int(total.group(1)) != figure:
            self.report.drilldowns.append(f"{link} from {source}: the figure says {figure}, the list shows "
                                          f"{total.group(1)}")
        else:
            self.report.drilldowns_ok += 1

