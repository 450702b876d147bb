"""Patrol points: registered by a unit, printed as QR codes that decode to the point's checklist
page, patrolled from a phone (time and place marked), missed patrols in the to-do list and the
unit's figures, a finding reported as a hazard in one step."""

import datetime
import shutil
import subprocess
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safecommunity.hazards.models import Hazard
from safecommunity.hazards.tests.factories import area, photo, unit
from safecommunity.patrols import services
from safecommunity.patrols.models import Patrol, PatrolPoint

pytestmark = pytest.mark.django_db
CQ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def point(unit_a):
    return services.point_save(actor=unit_a, org_unit=unit("500103003"), name="消防通道 A", place="解放碑步行街 8 号",
                               latitude=Decimal("29.557700"), longitude=Decimal("106.577000"),
                               checklist="通道畅通\n灭火器在位\n", every_days=7,
                               window_start=datetime.time(8), window_end=datetime.time(18), max_distance_m=100)


def at(hour, minute=0, day=None):
    day = day or timezone.localdate()
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=CQ)


ALL_OK = [{"item": "通道畅通", "ok": True}, {"item": "灭火器在位", "ok": True}]


def test_a_patrol_in_the_window_at_the_point_is_not_marked(point, unit_a):
    p = services.patrol_record(actor=unit_a, point=point, answers=ALL_OK, latitude="29.5578", longitude="106.5771",
                               at=at(10))
    assert (p.too_far, p.outside_window, p.no_location) == (False, False, False)
    assert p.distance_m < 20


def test_a_scan_outside_the_time_window_is_marked(point, unit_a):
    p = services.patrol_record(actor=unit_a, point=point, answers=ALL_OK, latitude="29.5577", longitude="106.577",
                               at=at(22, 30))
    assert p.outside_window and not p.too_far


def test_a_patrol_too_far_from_the_point_is_marked_with_the_distance(point, unit_a):
    # about 1.1 km north
    p = services.patrol_record(actor=unit_a, point=point, answers=ALL_OK, latitude="29.5677", longitude="106.577",
                               at=at(9))
    assert p.too_far and 1050 < p.distance_m < 1150


def test_every_item_must_be_answered_and_nothing_is_stored(point, unit_a):
    with pytest.raises(ValidationError) as exc:
        services.patrol_record(actor=unit_a, point=point, answers=ALL_OK[:1], at=at(9))
    assert "answers" in exc.value.message_dict and "灭火器在位" in exc.value.message_dict["answers"][0]
    assert Patrol.objects.count() == 0


def test_a_finding_becomes_a_hazard_report_in_one_step(point, unit_a):
    p = services.patrol_record(actor=unit_a, point=point, answers=[ALL_OK[0], {"item": "灭火器在位", "ok": False}],
                               note="灭火器缺失两具", report_hazard=True, safety_area=area(), photos=[photo("x.png")],
                               latitude="29.5577", longitude="106.577", at=at(9))
    hazard = Hazard.objects.get()
    assert p.hazard == hazard and hazard.description == "灭火器缺失两具" and hazard.address == point.place
    assert hazard.org_unit == point.org_unit and p.problems == 1


def test_a_resent_patrol_is_stored_once(point, unit_a):
    key = str(uuid.uuid4())
    first = services.patrol_record(actor=unit_a, point=point, answers=ALL_OK, at=at(9), idempotency_key=key)
    again = services.patrol_record(actor=unit_a, point=point, answers=ALL_OK, at=at(9), idempotency_key=key)
    assert first.pk == again.pk and Patrol.objects.count() == 1


def test_a_unit_cannot_register_a_point_elsewhere(unit_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.point_save(actor=unit_a, org_unit=unit("500106001"), name="x", place="x", latitude=1, longitude=1,
                            checklist="a")
    assert PatrolPoint.objects.count() == 0


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils (scripts/setup.sh --test)")
def test_the_qr_pdf_decodes_to_the_points_checklist_page(point, client_for, unit_a, tmp_path):
    import zxingcpp
    from PIL import Image

    response = client_for(unit_a).get(f"/patrols/{point.pk}/qr.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (tmp_path / "sheet.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [f"http://testserver/patrols/{point.pk}/scan/"]
    # ... and that address is the checklist page of the point
    page = client_for(unit_a).get(f"/patrols/{point.pk}/scan/")
    assert page.status_code == 200 and "灭火器在位" in page.content.decode()


def test_pages_in_scope_other_district_and_wrong_role(point, client_for, unit_a, unit_b, district_a, dept_ga):
    for url in ["/patrols/", f"/patrols/{point.pk}/", "/patrols/records/", "/patrols/due/", "/patrols/qr.pdf"]:
        assert client_for(unit_a).get(url).status_code == 200, url
        assert client_for(district_a).get(url).status_code == 200, url
        assert client_for(dept_ga).get(url).status_code == 403, url
    assert client_for(unit_b).get(f"/patrols/{point.pk}/").status_code == 404
    assert client_for(unit_b).get(f"/patrols/{point.pk}/scan/").status_code == 404
    assert client_for(district_a).get(f"/patrols/{point.pk}/scan/").status_code == 403  # patrols are a unit's


def test_scanning_records_the_patrol_and_bad_input_names_the_field(point, client_for, unit_a):
    client = client_for(unit_a)
    data = {"item_0": "ok", "item_1": "problem", "note": "", "grade": "general", "latitude": "29.5577",
            "longitude": "106.577", "report_hazard": "on"}
    bad = client.post(f"/patrols/{point.pk}/scan/", data)
    assert bad.status_code == 200 and Patrol.objects.count() == 0
    assert "请描述" in bad.content.decode() or "Describe" in bad.content.decode()
    ok = client.post(f"/patrols/{point.pk}/scan/", {**data, "report_hazard": "", "note": "灯坏了"})
    patrol = Patrol.objects.get()
    assert ok.status_code == 302 and ok["Location"] == patrol.get_absolute_url()
    assert patrol.answers == [{"item": "通道畅通", "ok": True}, {"item": "灭火器在位", "ok": False}]


def test_a_missed_patrol_is_in_the_to_do_list_and_the_units_figures(point, unit_a, client_for):
    from safecommunity.patrols.selectors import unit_figures
    from safecommunity.patrols.todos import todos

    assert todos(unit_a) == []
    PatrolPoint.objects.filter(pk=point.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    [todo] = todos(unit_a)
    assert todo.overdue and todo.url == f"/patrols/{point.pk}/scan/" and todo.title == "消防通道 A"
    assert unit_figures(unit_a, point.org_unit)["missed"] == 1
    page = client_for(unit_a).get(f"/orgunits/{point.org_unit.code}/")
    assert page.status_code == 200
    services.patrol_record(actor=unit_a, point=point, answers=ALL_OK, at=at(9))
    assert todos(unit_a) == [] and unit_figures(unit_a, point.org_unit)["missed"] == 0


def test_the_api_lists_points_and_patrols_in_scope(point, unit_a, unit_b, dept_ga, api_client_for):
    services.patrol_record(actor=unit_a, point=point, answers=ALL_OK, at=at(22))
    r = api_client_for(unit_a).get("/api/v1/patrol-points/")
    assert r.status_code == 200 and [p["name"] for p in r.json()["results"]] == ["消防通道 A"]
    assert api_client_for(unit_b).get("/api/v1/patrol-points/").json()["results"] == []
    assert api_client_for(unit_b).get(f"/api/v1/patrol-points/{point.pk}/").status_code == 404
    assert api_client_for(dept_ga).get("/api/v1/patrols/").status_code == 403
    [p] = api_client_for(unit_a).get("/api/v1/patrols/?marked=true").json()["results"]
    assert p["outside_window"] is True
