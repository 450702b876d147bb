"""Every seam a user touches works: the demo, signed in as each demo role in Chromium, crawled as a
newcomer would — every menu page, the links in the main content (a page per URL pattern), page 2
and 导出 of every list without pressing 查询, the drill-downs of the statistics pages.

0 links answering 403/404/5xx, 0 debug pages, every pager shows page 2 with another first row,
every export is an .xlsx with the list's rows, every drill-down shows as many rows as its figure.

Marked `crawl` as well as `browser`: it builds the whole demo and takes a few minutes, so CI may
run it once (on PostgreSQL): `pytest -m crawl`.
"""

import re

import pyotp
import pytest

from safecommunity.security.demo import DEMO_TOTP_SECRET

from .crawler import Crawler

pytestmark = [pytest.mark.browser, pytest.mark.crawl, pytest.mark.django_db(transaction=True)]

# One demo account per role (safecommunity demo), and how many pages each may fetch beyond its
# menu pages (always visited): the bound keeps the test under 8 minutes on a busy 2-core machine (9 min with the budgets ⅓ higher),
# links are followed breadth-first, one page per URL pattern.
ROLES = [
    ("city_admin", 120),
    ("yuzhong_admin", 90),
    ("jiefangbei_worker", 80),
    ("dept_ga", 70),
    ("expert_wang", 50),
    ("sysadmin", 60),
]


@pytest.fixture
def demo(transactional_db):
    import io

    from django.core.management import call_command

    call_command("demo", "--no-migrate", stdout=io.StringIO())
    # a finished job of every role (core.jobs): 我的任务 lists it, and its page and file are crawled
    from safecommunity.accounts.models import User
    from safecommunity.core.jobs import DOWNLOAD, start_job

    for username, _budget in ROLES:
        start_job(DOWNLOAD, actor=User.objects.get(username=username),
                  params={"path": "/jobs/?export=xlsx", "host": "testserver"})


def _sign_in(page, base, username):
    from safecommunity.accounts.management.commands.demo import DEMO_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/(security/2fa/verify/.*)?$"))
    if "/security/2fa/verify/" in page.url:  # a demo account with a second factor (security.demo)
        page.fill("#id_token", pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.click("form button[type=submit]")
        page.wait_for_url(f"{base}/")


def test_every_seam_works_for_every_role(demo, browser, live_server):
    problems, summary = [], []
    for username, budget in ROLES:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(30000)
        _sign_in(page, live_server.url, username)

        def fetch(url, _request=context.request):
            response = _request.get(f"{live_server.url}{url}", max_redirects=5, timeout=60000)
            return response.status, response.headers.get("content-type", ""), response.body()

        report = Crawler(fetch, user=username, per_pattern=1, budget=budget).crawl(["/", "/todo/"])
        context.close()
        summary.append(f"{username}: {report.visited} pages, {report.pagers_ok} pagers, "
                       f"{report.exports_ok} exports, {report.drilldowns_ok} drill-downs")
        problems += report.problems()
        assert report.exports_ok, f"{username}: no list exported"
    assert not problems, "\n".join(problems + ["", *summary])
