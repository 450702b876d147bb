"""In the field on a phone (390×844): the menu opens from the top bar; a hazard reported with a
photo while the network is cut waits on the phone and is stored exactly once when the network is
back; sending the same submission again changes nothing."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def unit_user(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.core.codelists import SAFETY_AREA, SAFETY_AREAS
    from safecommunity.core.services import codelist_ensure
    from safecommunity.hazards.models import GradeDeadline
    from safecommunity.orgunits.services import divisions_load

    codelist_ensure(key=SAFETY_AREA, name="安全领域", items=SAFETY_AREAS)
    GradeDeadline.objects.get_or_create(grade="general", defaults={"days": 15})
    divisions_load(only_districts={"500103"})
    return UserFactory(username="jiefangbei", role="unit", code="500103003", full_name="解放碑 刘网格员")


def test_a_hazard_reported_offline_on_a_phone_is_stored_once_with_its_photo(
        phone, live_server, login, unit_user, external_requests):
    from safecommunity.archive.models import Attachment
    from safecommunity.hazards.demo import png_bytes
    from safecommunity.hazards.models import Hazard

    page = phone
    login(page, unit_user)
    # The left menu opens from the top bar's button; nothing scrolls sideways.
    assert not page.is_visible("#sc-menu")
    page.click(".sc-menu-button")
    page.wait_for_selector("#sc-menu.show")
    assert page.is_visible("#sc-menu a[href='/hazards/new/']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/hazards/new/")
    # The phone's location fills the map point; the photo input opens the camera.
    page.wait_for_function("document.getElementById('id_latitude').value !== ''")
    assert page.input_value("#id_latitude") == "29.557700"
    assert page.input_value("#id_longitude") == "106.577000"
    assert page.get_attribute("#id_photos", "capture") == "environment"
    page.fill("#id_address", "解放碑步行街 8 号消防通道")
    page.select_option("#id_safety_area", index=2)
    page.fill("#id_description", "消防通道堆放货物")
    page.set_input_files("#id_photos", files=[{"name": "fire-exit.png", "mimeType": "image/png",
                                               "buffer": png_bytes(40, 30, (200, 60, 60))}])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # No network: the report waits on the phone.
    page.context.set_offline(True)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-outbox-queued]:not(.d-none)")
    page.wait_for_selector("html[data-outbox='1']")
    assert page.is_visible("#sc-outbox-badge")
    assert Hazard.objects.count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "phone-hazard.png"))
    page.evaluate("SafeCommunity.outbox.all().then(function (r) { window.kept = r[0]; })")

    # The network is back: it is sent, once, with its photo.
    page.context.set_offline(False)
    page.wait_for_selector("html[data-outbox='0']")
    hazard = Hazard.objects.get()
    assert hazard.address == "解放碑步行街 8 号消防通道"
    assert str(hazard.latitude) == "29.557700"
    photos = Attachment.objects.for_object(hazard)
    assert [p.title for p in photos] == ["fire-exit.png"]

    # The same submission sent again (its answer lost, say) changes nothing.
    answer = page.evaluate("SafeCommunity.outbox.send(window.kept)")
    assert answer["status"] == 201
    assert answer["data"]["url"] == hazard.get_absolute_url()
    assert Hazard.objects.count() == 1
    assert Attachment.objects.for_object(hazard).count() == 1
    assert external_requests == []


def test_a_patrol_scanned_without_network_is_recorded_once_with_where_the_phone_was(
        phone, live_server, login, unit_user, external_requests):
    import datetime
    from decimal import Decimal

    from safecommunity.orgunits.models import OrgUnit
    from safecommunity.patrols.models import Patrol
    from safecommunity.patrols.services import point_save

    point = point_save(actor=unit_user, org_unit=OrgUnit.objects.get(code="500103003"), name="消防通道 A",
                       place="解放碑步行街 8 号", latitude=Decimal("29.557700"), longitude=Decimal("106.577000"),
                       checklist="通道畅通\n灭火器在位", window_start=datetime.time(0), window_end=datetime.time(23, 59))
    page = phone
    login(page, unit_user)
    page.goto(f"{live_server.url}{point.scan_url()}")  # what the QR code opens
    page.wait_for_function("document.querySelector('[data-lat]').value !== ''")
    page.click("label[for='id_item_1_1']")  # 灭火器在位: 异常
    page.fill("#id_note", "灭火器压力不足")
    page.context.set_offline(True)
    page.click("main form button[type=submit]")
    page.wait_for_selector("html[data-outbox='1']")
    assert Patrol.objects.count() == 0
    page.context.set_offline(False)
    page.wait_for_selector("html[data-outbox='0']")
    patrol = Patrol.objects.get()
    assert patrol.answers == [{"item": "通道畅通", "ok": True}, {"item": "灭火器在位", "ok": False}]
    assert patrol.distance_m == 0 and not patrol.too_far and patrol.note == "灭火器压力不足"
    assert external_requests == []
