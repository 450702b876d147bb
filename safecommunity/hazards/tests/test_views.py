"""Every page: in scope 200, another district 404, a wrong role 403; bad input names the
field and changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from safecommunity.core.models import Notification
from safecommunity.hazards import services
from safecommunity.hazards.choices import Status
from safecommunity.hazards.models import GradeDeadline, Hazard, RiskEntry
from safecommunity.hazards.tests.factories import area, photo, report, unit

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"hazards:{name}", args=args)


LIST_PAGES = ["hazard_list", "worklist", "stats", "risk_map", "risk_list"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_open_for_the_working_roles_and_refuse_others(name, client_for, hazard, unit_a, district_a,
                                                                 city_admin, dept_ga, expert, sysadmin):
    for user in (unit_a, district_a, city_admin, dept_ga):
        assert client_for(user).get(url(name)).status_code == 200, user
    for user in (expert, sysadmin):
        assert client_for(user).get(url(name)).status_code == 403


@pytest.mark.parametrize("name", ["hazard_list", "stats", "risk_list"])
def test_list_pages_export_excel(name, client_for, hazard, district_a):
    response = client_for(district_a).get(url(name) + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_hides_other_districts_and_marks_overdue(client_for, hazard, district_a, district_b):
    services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=hazard.org_unit)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=services.local_today() - timedelta(days=2))
    page = client_for(district_a).get(url("hazard_list")).content.decode()
    assert hazard.number in page and "text-bg-danger" in page
    assert hazard.number not in client_for(district_b).get(url("hazard_list")).content.decode()
    overdue_only = client_for(district_a).get(url("hazard_list") + "?overdue=true").content.decode()
    assert hazard.number in overdue_only
    assert hazard.number not in client_for(district_a).get(url("hazard_list") + "?overdue=false").content.decode()


def test_detail_scoping(client_for, hazard, unit_a, unit_a2, district_b, expert, dept_ga):
    assert client_for(unit_a).get(hazard.get_absolute_url()).status_code == 200
    assert client_for(dept_ga).get(hazard.get_absolute_url()).status_code == 200  # fire: 公安's domain
    assert client_for(unit_a2).get(hazard.get_absolute_url()).status_code == 404
    assert client_for(district_b).get(hazard.get_absolute_url()).status_code == 404
    assert client_for(expert).get(hazard.get_absolute_url()).status_code == 403


def test_photos_are_served_to_whoever_sees_the_hazard(client_for, unit_a, district_b, dept_ga):
    hazard = report(unit_a, photos=[photo("before.png")])
    p = services.hazard_photos(hazard).get()
    assert client_for(unit_a).get(url("hazard_photo", hazard.pk, p.pk)).status_code == 200
    assert client_for(dept_ga).get(url("hazard_photo", hazard.pk, p.pk)).status_code == 200
    assert client_for(district_b).get(url("hazard_photo", hazard.pk, p.pk)).status_code == 404
    other = report(unit_a)
    assert client_for(unit_a).get(url("hazard_photo", other.pk, p.pk)).status_code == 404


def test_reporting_a_hazard_through_the_form(client_for, unit_a, district_a):
    client = client_for(unit_a)
    assert client.get(url("hazard_create")).status_code == 200
    response = client.post(url("hazard_create"), {
        "org_unit": unit("500103003").pk, "address": "较场口夜市", "safety_area": area("fire").pk, "grade": "general",
        "finder": "刘信息员", "found_on": services.local_today().isoformat(), "description": "灭火器过期",
        "photos": [photo("a.png"), photo("b.png")],
    })
    hazard = Hazard.objects.get(address="较场口夜市")
    assert response.status_code == 302 and response["Location"] == hazard.get_absolute_url()
    assert services.hazard_photos(hazard).count() == 2
    assert Notification.objects.filter(user=district_a).exists()


def test_reporting_with_bad_input_names_the_field_and_saves_nothing(client_for, unit_a):
    client = client_for(unit_a)
    base = {"org_unit": unit("500103003").pk, "address": "x", "safety_area": area("fire").pk, "grade": "general",
            "finder": "y", "found_on": services.local_today().isoformat(), "description": "z"}
    response = client.post(url("hazard_create"), {**base, "org_unit": unit("500106001").pk})  # another district
    assert response.status_code == 200 and "org_unit" in response.context["form"].errors
    response = client.post(url("hazard_create"), {**base, "latitude": "29.5"})
    assert "longitude" in response.context["form"].errors
    response = client.post(url("hazard_create"), {**base, "photos": [photo("a.csv")]})
    assert "photos" in response.context["form"].errors
    response = client.post(url("hazard_create"), {**base, "grade": "huge"})
    assert "grade" in response.context["form"].errors
    assert not Hazard.objects.exists()


def test_photos_chosen_before_a_validation_error_are_kept(client_for, unit_a, unit_a2):
    client = client_for(unit_a)
    base = {"org_unit": unit("500103003").pk, "address": "较场口夜市", "safety_area": area("fire").pk,
            "grade": "general", "finder": "刘信息员", "found_on": services.local_today().isoformat()}
    response = client.post(url("hazard_create"), {**base, "description": "", "photos": [photo("a.png")]})
    form = response.context["form"]
    assert "description" in form.errors and "a.png" in response.content.decode()
    token = form.data["kept_photos"]
    # another user cannot use the token; the same user's next submission uses the kept photo
    client_for(unit_a2).post(url("hazard_create"), {**base, "org_unit": unit("500103001").pk,
                                                    "description": "灭火器过期", "kept_photos": token})
    assert services.hazard_photos(Hazard.objects.get()).count() == 0
    Hazard.objects.all().delete()
    response = client.post(url("hazard_create"), {**base, "description": "灭火器过期", "kept_photos": token})
    assert response.status_code == 302
    assert [p.original_name for p in services.hazard_photos(Hazard.objects.get())] == ["a.png"]


def test_report_page_refuses_departments_and_experts(client_for, dept_ga, expert):
    assert client_for(dept_ga).get(url("hazard_create")).status_code == 403
    assert client_for(expert).get(url("hazard_create")).status_code == 403


def test_action_pages_scoping(client_for, hazard, district_a, district_b, unit_a, expert):
    assign = url("hazard_action", hazard.pk, "assign")
    assert client_for(district_a).get(assign).status_code == 200
    assert client_for(unit_a).get(assign).status_code == 403
    assert client_for(district_b).get(assign).status_code == 404
    assert client_for(expert).get(assign).status_code == 403
    assert client_for(district_a).get(url("hazard_action", hazard.pk, "nonsense")).status_code == 404
    assert client_for(district_a).get(url("hazard_action", hazard.pk, "accept")).status_code == 403  # not yet


def test_assigning_with_bad_input_names_the_field_and_changes_nothing(client_for, hazard, district_a):
    client = client_for(district_a)
    assign = url("hazard_action", hazard.pk, "assign")
    response = client.post(assign, {"responsible_unit": unit("500103003").pk, "deadline": ""})
    assert "deadline" in response.context["form"].errors
    past = (services.local_today() - timedelta(days=1)).isoformat()
    response = client.post(assign, {"responsible_unit": unit("500103003").pk, "deadline": past})
    assert "deadline" in response.context["form"].errors
    response = client.post(assign, {"responsible_unit": unit("500106001").pk, "deadline": "2099-01-01"})
    assert "responsible_unit" in response.context["form"].errors
    hazard.refresh_from_db()
    assert hazard.status == Status.REPORTED


def test_the_loop_through_the_pages(client_for, hazard, district_a, unit_a):
    d, u = client_for(district_a), client_for(unit_a)
    deadline = (services.local_today() + timedelta(days=10)).isoformat()
    assert d.post(url("hazard_action", hazard.pk, "assign"),
                  {"responsible_unit": unit("500103003").pk, "deadline": deadline}).status_code == 302
    assert u.post(url("hazard_action", hazard.pk, "start"), {}).status_code == 302
    response = u.post(url("hazard_action", hazard.pk, "submit"), {"measures": "已清理"})
    assert "photos" in response.context["form"].errors  # no photo after: refused
    assert u.post(url("hazard_action", hazard.pk, "submit"),
                  {"measures": "已清理", "cost": "200", "photos": [photo()]}).status_code == 302
    assert u.post(url("hazard_action", hazard.pk, "accept"), {}).status_code == 403  # its own hazard
    response = d.post(url("hazard_action", hazard.pk, "return"), {"note": ""})
    assert "note" in response.context["form"].errors
    assert d.post(url("hazard_action", hazard.pk, "accept"), {"note": "合格"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == Status.CLOSED
    page = d.get(hazard.get_absolute_url()).content.decode()
    assert "合格" in page and "已清理" in page


def test_a_department_comments_on_a_hazard_in_its_domain(client_for, hazard, dept_ga):
    response = client_for(dept_ga).post(url("hazard_action", hazard.pk, "comment"), {"note": "请限期整改"})
    assert response.status_code == 302
    assert hazard.steps.filter(action="comment", note="请限期整改").exists()


def test_supervised_hazards_are_on_the_city_home_page_until_closed(client_for, unit_a, city_admin, district_a):
    major = report(unit_a, grade="major", address="较场口加油站")
    services.hazard_supervise(hazard=major, actor=city_admin, supervisor="张主任")
    assert "较场口加油站" in client_for(city_admin).get("/").content.decode()
    Hazard.objects.filter(pk=major.pk).update(status=Status.CLOSED)
    assert "较场口加油站" not in client_for(city_admin).get("/").content.decode()


def test_the_unit_page_shows_its_hazards(client_for, hazard, district_a, district_b):
    response = client_for(district_a).get(reverse("orgunits:orgunit_detail", args=["500103003"]))
    assert response.status_code == 200
    assert 'id="hazards-unit-panel"' in response.content.decode()


def test_statistics_by_each_grouping_stay_in_scope(client_for, hazard, district_b, district_a, unit_b):
    report(unit_b, code="500106001")
    for by in ("district", "unit", "area", "grade", "month"):
        response = client_for(district_b).get(url("stats") + f"?by={by}")
        assert response.status_code == 200
        assert response.context["total"]["found"] == 1
    assert client_for(district_b).get(url("stats") + "?by=nonsense&year=abc").status_code == 200


def test_risk_register_pages(client_for, unit_a, district_b, dept_ga):
    client = client_for(unit_a)
    create = url("risk_create") + "?kind=place"
    assert client.get(create).status_code == 200
    data = {"kind": "place", "org_unit": unit("500103003").pk, "name": "滨江步道", "safety_area": area("water").pk,
            "risk_level": "orange", "last_reviewed_on": services.local_today().isoformat(), "address": "江边"}
    response = client.post(create, data)
    assert response.status_code == 200 and "latitude" in response.context["form"].errors
    assert not RiskEntry.objects.exists()
    assert client.post(create, {**data, "latitude": "29.56", "longitude": "106.57"}).status_code == 302
    entry = RiskEntry.objects.get()
    assert entry.kind == "place" and entry.created_by == unit_a
    assert client_for(district_b).get(url("risk_edit", entry.pk)).status_code == 404
    assert client_for(district_b).get(url("risk_delete", entry.pk)).status_code == 404
    assert client_for(dept_ga).get(url("risk_create")).status_code == 403
    assert client.get(url("risk_delete", entry.pk)).status_code == 200  # confirmation first
    assert client.post(url("risk_delete", entry.pk)).status_code == 302
    assert not RiskEntry.objects.exists()


def test_the_risk_map_shows_only_entries_in_scope(client_for, unit_a, district_b, district_a):
    services.risk_entry_save(actor=unit_a, org_unit=unit("500103003"), kind="place", name="滨江步道",
                             safety_area=area("water"), risk_level="red", latitude=29.56, longitude=106.57,
                             last_reviewed_on=services.local_today())
    assert len(client_for(district_a).get(url("risk_map")).context["map_data"]["points"]) == 1
    data = client_for(district_b).get(url("risk_map")).context["map_data"]
    assert data["points"] == [] and data["counts"] == {}


def test_the_city_edits_the_default_periods(client_for, city_admin, district_a):
    assert client_for(district_a).get(url("deadline_settings")).status_code == 403
    client = client_for(city_admin)
    assert client.get(url("deadline_settings")).status_code == 200
    response = client.post(url("deadline_settings"), {"general": "0", "major": "60"})
    assert response.status_code == 200 and "1" in response.content.decode()
    assert GradeDeadline.objects.get(grade="major").days == 90  # nothing saved
    assert client.post(url("deadline_settings"), {"general": "7", "major": "60"}).status_code == 302
    assert dict(GradeDeadline.objects.values_list("grade", "days")) == {"general": 7, "major": 60}


def test_the_hazard_list_does_not_query_per_row(client_for, unit_a, district_a):
    """Twice the rows, the same queries (each scoping filter reads its subtree's unit ids once per
    queryset, not per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(rows):
        for _i in range(rows):
            h = report(unit_a)
            services.hazard_assign(hazard=h, actor=district_a, responsible_unit=h.org_unit)
        client = client_for(district_a)
        client.get(url("hazard_list"))  # warm the session and caches
        with CaptureQueriesContext(connection) as q:
            response = client.get(url("hazard_list"))
        return len(q.captured_queries), response.context["total_count"]

    eight, total = queries_for(8)
    assert total == 8
    sixteen, total = queries_for(8)
    assert total == 16 and sixteen == eight <= 30


def test_a_department_work_list_holds_what_is_assigned_to_it(client_for, unit_a, district_a, dept_ga):
    from safecommunity.orgunits.models import Department

    mine = report(unit_a, area_code="elderly", address="老年活动中心")  # not 公安's area, but assigned to it
    services.hazard_assign(hazard=mine, actor=district_a, responsible_unit=mine.org_unit,
                           department=Department.objects.get(code="GA"))
    domain_only = report(unit_a, area_code="traffic", address="八一路口")  # in its domain, not assigned
    page = client_for(dept_ga).get(url("worklist")).content.decode()
    assert "老年活动中心" in page and "八一路口" not in page
    assert "八一路口" in client_for(dept_ga).get(url("hazard_list")).content.decode()
    assert domain_only.pk
