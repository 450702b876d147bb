"""The command-centre big screen renders at 1920×1080 (and scales to 3840×2160) with nothing
requested from outside the server, and refreshes its figures in place."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def city(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.core.codelists import SAFETY_AREA, SAFETY_AREAS
    from safecommunity.core.services import codelist_ensure
    from safecommunity.hazards.models import GradeDeadline
    from safecommunity.hazards.tests.factories import report
    from safecommunity.orgunits.services import divisions_load

    codelist_ensure(key=SAFETY_AREA, name="安全领域", items=SAFETY_AREAS)
    GradeDeadline.objects.get_or_create(grade="general", defaults={"days": 15})
    divisions_load(only_districts={"500103", "500106"})
    unit = UserFactory(username="jiefangbei", role="unit", code="500103003")
    for _ in range(3):
        report(unit)
    return UserFactory(username="city", role="city", code="500000")


def test_the_big_screen_renders_at_1920_by_1080_from_our_server_only(page, live_server, login, city,
                                                                     external_requests):
    from safecommunity.hazards.tests.factories import report

    login(page, city)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/bigscreen/?refresh=5")
    page.wait_for_selector("#bs-map[data-rendered='1']")
    assert not page.is_visible(".sc-sidebar")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    # a new hazard reaches the screen without reloading the page (same chart instances)
    page.evaluate("window.marker = 1")
    report(city.__class__.objects.get(username="jiefangbei"))
    page.wait_for_function("+document.getElementById('bs-stage').getAttribute('data-drawn') >= 2")
    assert page.evaluate("window.marker") == 1
    assert page.evaluate("echarts.getInstanceByDom(document.getElementById('bs-hazards'))"
                         ".getOption().series[0].data[0].value") == 4
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "bigscreen.png"))
    # on a 4K wall the same stage is drawn twice as large
    page.set_viewport_size({"width": 3840, "height": 2160})
    page.wait_for_function("document.getElementById('bs-stage').getBoundingClientRect().width === 3840")
    assert external_requests == []
