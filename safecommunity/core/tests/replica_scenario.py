"""Run by test_replica.py in a process of its own, against a real primary and its streaming
replica (DATABASE_URL and DATABASE_REPLICA_URL set by the test). Prints one JSON line of facts;
the test asserts on them."""

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.base")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from safecommunity.core.replica import PIN_COOKIE, replica_reads  # noqa: E402
from safecommunity.orgunits.models import OrgUnit  # noqa: E402
from safecommunity.orgunits.services import divisions_load  # noqa: E402


def wait_replicated(code, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if OrgUnit.objects.using("replica").filter(code=code).exists():
            return True
        time.sleep(0.2)
    return False


def replay(action):
    with connections["replica"].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{action}()")


facts = {}
call_command("migrate", verbosity=0)
divisions_load(only_districts={"500103"})
call_command("createuser", "district_ops", "--role", "district", "--unit", "500103", "--password", "Strong#pass1",
             stdout=open(os.devnull, "w"))
facts["replicated"] = wait_replicated("500103003")
facts["replica_is_in_recovery"] = connections["replica"].cursor().execute(
    "SELECT pg_is_in_recovery()").fetchone()[0]

client = Client()
facts["login_status"] = client.post(
    reverse("accounts:login"), {"username": "district_ops", "password": "Strong#pass1"}).status_code
facts["pin_cookie_after_post"] = PIN_COOKIE in client.cookies
stats = reverse("hazards:stats")


def queries(path):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        status = client.get(path).status_code
    return status, len(primary.captured_queries), len(replica.captured_queries)


# Right after the sign-in (a POST) the user is pinned to the primary.
facts["pinned_stats"] = queries(stats)
# Later (the pin cookie has expired): statistics read the replica, a record list does not.
client.cookies.pop(PIN_COOKIE)
facts["stats"] = queries(stats)
facts["list"] = queries(reverse("hazards:hazard_list"))
facts["export"] = queries(reverse("hazards:hazard_list") + "?export=xlsx")

# With replay paused the replica lags: a read in a replica block does not see a new row, a read
# after a write in the same block goes to the primary and does.
replay("pause")
try:
    parent = OrgUnit.objects.get(code="500103")
    with replica_reads():
        before = OrgUnit.objects.filter(name="复制延迟测试街道").exists()
        OrgUnit.objects.create(code="500103999", name="复制延迟测试街道", level=OrgUnit.Level.TOWNSHIP,
                               parent=parent)
        after_write = OrgUnit.objects.filter(name="复制延迟测试街道").exists()
    with replica_reads():
        lagging = OrgUnit.objects.filter(name="复制延迟测试街道").exists()
    facts["read_after_write"] = [before, after_write, lagging]
finally:
    replay("resume")
facts["caught_up"] = wait_replicated("500103999")
print(json.dumps(facts))
sys.stdout.flush()
