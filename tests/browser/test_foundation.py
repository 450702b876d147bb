import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def yuzhong_admin(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.orgunits.services import divisions_load

    divisions_load()  # the whole city, so that the map has every district
    return UserFactory(username="yuzhong", role="district", code="500103")


def test_district_admin_sees_its_streets_and_not_another_district(page, live_server, login, yuzhong_admin):
    login(page, yuzhong_admin)
    page.goto(f"{live_server.url}/orgunits/500103/")
    rows = page.locator("#children-table tbody tr")
    assert rows.count() == 11
    assert page.get_by_role("link", name="解放碑街道").is_visible()
    response = page.goto(f"{live_server.url}/orgunits/500106001/")  # 小龙坎街道, 沙坪坝区
    assert response.status == 404
    assert "不在您的管辖范围内" in page.content()


def test_the_map_renders_with_no_request_leaving_the_server(page, live_server, login, yuzhong_admin,
                                                            external_requests):
    login(page, yuzhong_admin)
    page.wait_for_selector("#district-map[data-rendered='1']")
    assert page.locator("#district-map canvas").count() >= 1
    assert external_requests == []


def test_a_district_office_map_is_zoomed_on_its_district(page, live_server, login, yuzhong_admin):
    login(page, yuzhong_admin)
    page.wait_for_selector("#district-map[data-rendered='1']")
    series = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('district-map')).getOption().series[0]")
    assert series["zoom"] > 3  # 渝中区 is a small part of the city's extent
    lng, lat = series["center"]
    assert 106.4 < lng < 106.7 and 29.4 < lat < 29.7  # 渝中区, not the middle of Chongqing
