"""Month-end mix of SafeCommunity's users, for locust (started by bench/load_test.py).

Every simulated user signs in as an account made by `bench/load_test.py --setup` (one per creating
unit, per district office, the city office, the departments and experts; password in
LOAD_PASSWORD) and does what that role does at the end of a month. Each request is named by its
step so that the statistics read per step (p50/p95/p99, failures).
"""

import os
import random
import re
from itertools import count

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Load@2026sc")
ACCOUNTS = {}  # role -> list of usernames, read once from bench/out/load_accounts.txt
_next = {}
_counter = count()
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a0000000"
    "0049454e44ae426082"
)


def _accounts():
    if not ACCOUNTS:
        path = os.environ.get("LOAD_ACCOUNTS", "bench/out/load_accounts.txt")
        with open(path, encoding="utf-8") as f:
            for line in f:
                role, username = line.split()
                ACCOUNTS.setdefault(role, []).append(username)
    return ACCOUNTS


def _take(role):
    names = _accounts()[role]
    i = _next.get(role, 0)
    _next[role] = i + 1
    return names[i % len(names)]


def _csrf(html):
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return m.group(1) if m else ""


def _options(html, name):
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"', block.group(1)) if block else []


class Role(HttpUser):
    abstract = True
    wait_time = between(1, 4)  # a person reads a page before the next click
    role = ""

    def on_start(self):
        self.username = _take(self.role)
        page = self.client.get("/accounts/login/", name="sign in (form)")
        resp = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page.text)},
            headers={"Referer": self.host + "/accounts/login/"}, name="sign in", allow_redirects=False,
        )
        if resp.status_code != 302:
            resp.failure(f"sign-in of {self.username} answered {resp.status_code}")

    def get(self, url, name=None):
        with self.client.get(url, name=name or url, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}")
            elif "/accounts/login/" in resp.url:
                resp.failure("signed out")
            return resp

    @task(3)
    def home(self):
        self.get("/", "home")

    @task(2)
    def todo(self):
        self.get("/todo/", "to-do list")


class UnitWorker(Role):
    """A creating unit: its lists, a hazard reported with a photo, last month's report submitted."""

    weight = 20
    role = "unit"

    @task(3)
    def hazards(self):
        self.get("/hazards/?status=reported", "hazard list (filtered)")

    @task(2)
    def report_hazard(self):
        form = self.get("/hazards/new/", "hazard form")
        if form.status_code != 200:
            return
        units, areas = _options(form.text, "org_unit"), _options(form.text, "safety_area")
        if not units or not areas:
            return
        n = next(_counter)
        data = {
            "csrfmiddlewaretoken": _csrf(form.text), "org_unit": units[0], "address": f"压测路{n}号",
            "safety_area": random.choice(areas), "grade": "general", "finder": "压测",
            "found_on": form.text and re.search(r'name="found_on"[^>]*value="([^"]+)"', form.text).group(1),
            "description": "月底集中上报的隐患（负载测试）",
        }
        with self.client.post("/hazards/new/", data=data, files={"photos": ("p.png", PNG, "image/png")},
                              headers={"Referer": self.host + "/hazards/new/"}, name="hazard report + photo",
                              catch_response=True, allow_redirects=False) as resp:
            if resp.status_code != 302:
                resp.failure(f"{resp.status_code}")

    @task(2)
    def reports(self):
        self.get("/reports/", "monthly reports list")

    @task(1)
    def submit_report(self):
        """Last month's report: started (or the existing one opened), written and submitted."""
        form = self.get("/reports/new/", "report form")
        period = re.search(r'<option value="(\d{4}-\d{2})"[^>]*selected', form.text) if form.status_code == 200 else None
        if not period:
            return
        started = self.client.post("/reports/new/", {"csrfmiddlewaretoken": _csrf(form.text), "period": period.group(1)},
                                   headers={"Referer": self.host + "/reports/new/"}, name="report start",
                                   allow_redirects=False)
        target = re.match(r"/reports/(\d+)/$", started.headers.get("Location", ""))
        if started.status_code != 302 or not target:
            return
        edit = self.client.get(f"/reports/{target.group(1)}/edit/", name="report edit form", allow_redirects=False)
        if edit.status_code != 200:  # already submitted or approved: nothing left to do this month
            return
        officers = _options(edit.text, "signed_by")
        data = {"csrfmiddlewaretoken": _csrf(edit.text), "work_done": "开展入户安全宣传、隐患排查（负载测试）",
                "problems": "", "next_plans": "继续隐患整改", "signed_by": officers[0] if officers else "",
                "submit": "1"}
        with self.client.post(f"/reports/{target.group(1)}/edit/", data=data, name="report submit",
                              headers={"Referer": self.host + f"/reports/{target.group(1)}/edit/"},
                              catch_response=True, allow_redirects=False) as resp:
            if resp.status_code != 302:
                resp.failure(f"{resp.status_code}")

    @task(1)
    def injuries(self):
        self.get("/injuries/", "injury records list")


class DistrictOfficer(Role):
    """A district office: the status board, statistics, approvals, an export."""

    weight = 6
    role = "district"

    @task(3)
    def board(self):
        self.get("/reports/board/", "report status board")

    @task(2)
    def submitted(self):
        page = self.get("/reports/?status=submitted", "reports awaiting review")
        ids = re.findall(r'href="/reports/(\d+)/"', page.text) if page.status_code == 200 else []
        if ids:
            detail = self.get(f"/reports/{ids[0]}/", "report detail")
            if detail.status_code == 200 and "/approve/" in detail.text:
                with self.client.post(f"/reports/{ids[0]}/approve/", {"csrfmiddlewaretoken": _csrf(detail.text),
                                                                      "note": "核对无误（负载测试）"},
                                      headers={"Referer": self.host + f"/reports/{ids[0]}/"},
                                      name="report approve", catch_response=True, allow_redirects=False) as resp:
                    if resp.status_code != 302:
                        resp.failure(f"{resp.status_code}")

    @task(2)
    def stats(self):
        self.get("/hazards/stats/", "hazard statistics")

    @task(1)
    def analysis(self):
        self.get("/injuries/analysis/", "injury analysis")

    @task(1)
    def export(self):
        self.get("/hazards/?export=xlsx", "hazard list export")

    @task(1)
    def scorecard(self):
        self.get("/scorecard/", "scorecard")


class CityOfficer(Role):
    weight = 2
    role = "city"

    @task(2)
    def summary(self):
        self.get("/reports/city/", "city report summary")

    @task(2)
    def scorecard(self):
        self.get("/scorecard/city/", "city scorecard")

    @task(1)
    def analysis(self):
        self.get("/injuries/analysis/", "injury analysis")

    @task(1)
    def board(self):
        self.get("/reports/board/", "report status board")


class Department(Role):
    weight = 1
    role = "department"

    @task(2)
    def worklist(self):
        self.get("/hazards/work/", "department work list")


class Expert(Role):
    weight = 1
    role = "expert"

    @task(2)
    def evaluations(self):
        self.get("/evaluation/", "evaluations")
