"""Take screenshots of pages as a signed-in user: python scripts/screenshot.py USER PATH [PATH...]

Writes screenshots/<user>-<path>.png. Needs the server on 127.0.0.1:8000 and Debian's chromium.
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = "http://127.0.0.1:8000"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def main():
    user, paths = sys.argv[1], sys.argv[2:]
    password = "Demo@2026sc"
    out = Path("screenshots")
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        external = []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(BASE) and not r.url.startswith("data:") else None)
        page.goto(f"{BASE}/accounts/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in paths:
            page.goto(BASE + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(800)
            name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
            page.screenshot(path=str(out / f"{user}-{name}.png"), full_page=True)
            print(out / f"{user}-{name}.png")
        browser.close()
    if external:
        print("EXTERNAL REQUESTS:", external)


if __name__ == "__main__":
    main()
