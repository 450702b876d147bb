"""A submission sent twice (queued on a phone without network, resent after a lost answer) is
stored once: the hazard report's idempotency key."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from safecommunity.archive.models import Attachment
from safecommunity.hazards.models import Hazard
from safecommunity.hazards.tests.factories import area, photo, report, unit

pytestmark = pytest.mark.django_db


def test_the_same_key_twice_stores_one_hazard_and_its_photo_once(unit_a):
    key = str(uuid.uuid4())
    first = report(unit_a, photos=[photo("before.png")], idempotency_key=key)
    again = report(unit_a, photos=[photo("before.png")], idempotency_key=key)
    assert again.pk == first.pk
    assert Hazard.objects.count() == 1
    assert Attachment.objects.for_object(first).count() == 1
    report(unit_a, idempotency_key=str(uuid.uuid4()))
    assert Hazard.objects.count() == 2


def test_another_users_key_is_not_their_hazard(unit_a, unit_a2):
    key = str(uuid.uuid4())
    report(unit_a, idempotency_key=key)
    report(unit_a2, code="500103001", idempotency_key=key)
    assert Hazard.objects.count() == 2


def test_a_malformed_key_is_refused_naming_the_field(unit_a):
    with pytest.raises(ValidationError) as exc:
        report(unit_a, idempotency_key="x" * 3)
    assert "idempotency_key" in exc.value.message_dict
    assert Hazard.objects.count() == 0


def test_the_outbox_gets_json_and_a_resend_the_same_answer(client_for, unit_a):
    client = client_for(unit_a)
    data = {"org_unit": unit("500103003").pk, "address": "解放碑步行街 8 号", "safety_area": area().pk,
            "grade": "general", "finder": "刘", "found_on": "2026-01-05", "description": "消防通道堆放货物",
            "latitude": "29.5577", "longitude": "106.577", "idempotency_key": str(uuid.uuid4())}
    first = client.post("/hazards/new/", {**data, "photos": photo("a.png")}, headers={"X-Outbox": "1"})
    assert first.status_code == 201
    again = client.post("/hazards/new/", {**data, "photos": photo("a.png")}, headers={"X-Outbox": "1"})
    assert again.json() == first.json()
    assert Hazard.objects.count() == 1
    bad = client.post("/hazards/new/", {**data, "address": "", "idempotency_key": str(uuid.uuid4())},
                      headers={"X-Outbox": "1"})
    assert bad.status_code == 400 and "address" in bad.json()["errors"]
    assert Hazard.objects.count() == 1


def test_manifest_and_service_worker_are_served_by_the_app(client, client_for, unit_a):
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/"
    assert b"http" not in sw.content  # nothing but our own paths
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    assert client.get("/outbox/").status_code == 302  # sign in first
    assert client_for(unit_a).get("/outbox/").status_code == 200
