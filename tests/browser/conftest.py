"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

`page` is a fresh Chromium page; `external_requests` collects every request that left the
live server (the product must run with the network cut off), `login(page, user)` signs in.
"""

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class _OneRequestAtATime(WSGIServer):
    """The live server answers one request at a time. On SQLite the test database is in memory
    and every thread of the live server uses the test's one connection: two requests at once (a
    page and its photos, say) interleave on it and break its transaction state ("pop from empty
    list", "database table is locked" — seen once in four CI runs). Django closes each HTTP
    connection after its response on a server without threads, so the browser never waits."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)  # the server's own thread already uses the overrides


LiveServerThread.server_class = _OneRequestAtATime

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def external_requests():
    return []


def _guarded_page(context, live_server, external_requests):
    page = context.new_page()
    page.set_default_timeout(15000)

    def track(request):
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            external_requests.append(request.url)

    page.on("request", track)
    # Anything not aimed at the live server is cut off, as on an intranet.
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    return page


@pytest.fixture
def page(browser, live_server, external_requests):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    yield _guarded_page(context, live_server, external_requests)
    context.close()


PHONE_POINT = {"latitude": 29.5577, "longitude": 106.5770}  # 解放碑


@pytest.fixture
def phone(browser, live_server, external_requests):
    """A 390×844 touch phone that lets the page read its location (PHONE_POINT)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN", geolocation=PHONE_POINT,
                                  permissions=["geolocation"])
    yield _guarded_page(context, live_server, external_requests)
    context.close()


@pytest.fixture
def login(live_server):
    from safecommunity.accounts.tests.factories import TEST_PASSWORD

    def do_login(page, user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", TEST_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return do_login
