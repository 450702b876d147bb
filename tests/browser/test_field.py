"""In the field on a phone (390×844): the menu opens from the top bar; a hazard reported with a
photo while the network is cut waits on the phone and is stored exactly once when the network is
back; sending the same submission again changes nothing."""

from pathlib import Path

import pytest

from .conftest import ARGS  # noqa: F401 - the same Chromium as every browser test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
POINT = {"latitude": 29.5577, "longitude": 106.5770}  # 解放碑


@pytest.fixture
def phone(browser, live_server, external_requests):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN", geolocation=POINT,
                                  permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15000)

    def track(request):
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            external_requests.append(request.url)

    page.on("request", track)
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    yield page
    context.close()


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
