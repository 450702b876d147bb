"""A hazard goes round the whole loop in the browser, with photos uploaded before and after:
reported by a street → assigned by the district → rectifying → submitted → returned →
submitted again → accepted and closed (销号)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.core.codelists import SAFETY_AREA, SAFETY_AREAS
    from safecommunity.core.services import codelist_ensure
    from safecommunity.hazards.models import GradeDeadline
    from safecommunity.orgunits.services import divisions_load

    # An earlier transactional test may have flushed what the data migrations seeded.
    codelist_ensure(key=SAFETY_AREA, name="安全领域", items=SAFETY_AREAS)
    GradeDeadline.objects.get_or_create(grade="general", defaults={"days": 15})
    GradeDeadline.objects.get_or_create(grade="major", defaults={"days": 90})
    divisions_load(only_districts={"500103", "500106"})
    return {
        "unit": UserFactory(username="jiefangbei", role="unit", code="500103003", full_name="解放碑 刘信息员"),
        "district": UserFactory(username="yuzhong", role="district", code="500103", full_name="渝中区 李科长"),
    }


def png(rgb=(200, 60, 60)):
    from safecommunity.hazards.demo import png_bytes

    return png_bytes(40, 30, rgb)


def test_a_hazard_goes_round_the_whole_loop_with_photos(page, live_server, login, people, external_requests):
    from safecommunity.hazards.choices import PHOTO_AFTER, PHOTO_BEFORE, Status
    from safecommunity.hazards.models import Hazard
    from safecommunity.hazards.services import hazard_photos

    page.on("dialog", lambda dialog: dialog.accept())  # "confirm this step?"

    def act(hazard, action):
        page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
        page.click(f"#hazard-actions a[href$='/{action}/']")
        page.wait_for_url(f"**/hazards/{hazard.pk}/{action}/")

    def submit():
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    def switch(user):
        page.context.clear_cookies()
        login(page, user)

    # 1. The street reports the hazard with a photo.
    login(page, people["unit"])
    page.goto(f"{live_server.url}/hazards/new/")
    page.fill("#id_address", "解放碑步行街 8 号消防通道")
    page.select_option("#id_safety_area", index=2)  # 消防安全
    page.fill("#id_description", "消防通道堆放货物")
    page.set_input_files("#id_photos", files=[{"name": "before.png", "mimeType": "image/png", "buffer": png()}])
    submit()
    # the report is sent by the page's outbox (it would wait on the phone without network), which
    # then opens the new hazard
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    hazard = Hazard.objects.get()
    page.wait_for_url(f"**/hazards/{hazard.pk}/")
    assert hazard.status == Status.REPORTED and hazard.org_unit.code == "500103003"
    assert page.locator("#photos-before img").count() == 1
    assert page.locator("#hazard-actions a").count() == 0  # a street does not assign

    # 2. The district assigns it with the default deadline.
    switch(people["district"])
    act(hazard, "assign")
    assert page.input_value("#id_deadline")  # pre-filled from the grade's period
    page.fill("#id_responsible_party", "解放碑商场物业")
    submit()
    hazard.refresh_from_db()
    assert hazard.status == Status.ASSIGNED and hazard.deadline is not None

    # 3. The street starts, then submits measures, cost and a photo after.
    switch(people["unit"])
    act(hazard, "start")
    submit()
    act(hazard, "submit")
    page.fill("#id_measures", "清理货物，张贴禁止堆放标识")
    page.fill("#id_cost", "300")
    page.set_input_files("#id_photos", files=[{"name": "after.png", "mimeType": "image/png",
                                               "buffer": png((60, 160, 90))}])
    submit()
    hazard.refresh_from_db()
    assert hazard.status == Status.AWAITING
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    assert page.locator("#photos-after img").count() == 1
    assert page.locator("#hazard-actions a[href$='/accept/']").count() == 0  # not its own hazard

    # 4. The district returns it; the street submits again; the district accepts and closes it.
    switch(people["district"])
    act(hazard, "return")
    page.fill("#id_note", "标识不清晰")
    submit()
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING
    switch(people["unit"])
    act(hazard, "submit")
    page.fill("#id_measures", "更换为反光标识")
    page.set_input_files("#id_photos", files=[{"name": "after2.png", "mimeType": "image/png",
                                               "buffer": png((40, 120, 200))}])
    submit()
    switch(people["district"])
    act(hazard, "accept")
    page.fill("#id_note", "现场验收合格")
    submit()
    hazard.refresh_from_db()
    assert hazard.status == Status.CLOSED and hazard.closed_on is not None
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    assert page.locator("#hazard-steps li").count() == 7
    assert page.locator("#hazard-actions a").count() == 0
    assert hazard_photos(hazard, PHOTO_BEFORE).count() == 1 and hazard_photos(hazard, PHOTO_AFTER).count() == 2
    assert page.locator("#hazard-steps img").count() == 3  # each photo on the step that brought it
    assert page.locator("#photos-after img").first.evaluate("img => img.naturalWidth") == 40  # served
    assert external_requests == []


def test_the_risk_map_and_statistics_chart_render_offline(page, live_server, login, people, external_requests):
    from safecommunity.hazards import services
    from safecommunity.hazards.tests.factories import area, report, unit

    services.risk_entry_save(actor=people["unit"], org_unit=unit("500103003"), kind="place", name="滨江步道",
                             safety_area=area("water"), risk_level="red", latitude="29.5578", longitude="106.5771",
                             last_reviewed_on=services.local_today())
    report(people["unit"])
    login(page, people["district"])
    page.goto(f"{live_server.url}/hazards/map/")
    page.wait_for_selector("#risk-map[data-rendered='1']")
    assert page.locator("#risk-map canvas").count() >= 1
    assert "渝中区" in page.locator("#risk-districts").inner_text()
    page.goto(f"{live_server.url}/hazards/stats/")
    page.wait_for_selector("#stats-chart[data-rendered='1']")
    assert external_requests == []
