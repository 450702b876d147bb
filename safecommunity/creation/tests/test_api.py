"""The API: same scoping as the pages (other district 404, wrong role 403), workflow steps as actions."""

from datetime import date

import pytest
from django.utils import timezone

from safecommunity.creation.models import CreationTransition, ResponsibilityLetter
from safecommunity.creation.services import follow_up_create, meeting_save, member_save
from safecommunity.orgunits.models import OrgUnit

from .conftest import pdf, unit
from .factories import bring_to

API = "/api/v1/creation"


def test_plans_read_by_offices_written_by_the_city(api_client_for, city_admin, district_a, unit_a, plan):
    table = api_client_for(district_a).get(f"{API}/plans/2026/table/").json()
    assert [r["district"] for r in table["rows"]] == ["500103"] and "targets" not in table
    city_table = api_client_for(city_admin).get(f"{API}/plans/2026/table/").json()
    assert len(city_table["rows"]) == 2 and city_table["targets"][0]["target"] == 800
    assert api_client_for(unit_a).get(f"{API}/plans/").status_code == 403
    assert api_client_for(district_a).post(f"{API}/plans/", {"year": 2027}).status_code == 403
    created = api_client_for(city_admin).post(f"{API}/plans/", {"year": 2027, "target_launched": 100}, format="json")
    assert created.status_code == 201 and created.json()["target_launched"] == 100
    again = api_client_for(city_admin).post(f"{API}/plans/", {"year": 2027}, format="json")
    assert again.status_code == 400 and "year" in again.json()


def test_district_rows_are_scoped_and_edited_by_the_city(api_client_for, city_admin, district_a, district_b, plan):
    row = plan.districts.get(org_unit__code="500103")
    assert api_client_for(district_b).get(f"{API}/district-plans/{row.pk}/").status_code == 404
    assert api_client_for(district_a).patch(f"{API}/district-plans/{row.pk}/", {"percentage": "50"}).status_code == 403
    response = api_client_for(city_admin).patch(f"{API}/district-plans/{row.pk}/", {"percentage": "50"}, format="json")
    assert response.status_code == 200 and response.json()["quota"] == 6
    bad = api_client_for(city_admin).patch(f"{API}/district-plans/{row.pk}/", {"percentage": "-5"}, format="json")
    assert bad.status_code == 400 and "percentage" in bad.json()


def test_launch_action_is_all_or_nothing_and_scoped(api_client_for, district_a, district_b):
    client = api_client_for(district_a)
    ids = [unit("500103003").pk, unit("500103001").pk]
    response = client.post(f"{API}/units/launch/", {"units": ids, "launched_on": "2026-03-01", "plan_file": pdf()},
                           format="multipart")
    assert response.status_code == 201 and len(response.json()) == 2
    assert unit("500103003").status == "launched"
    other = client.post(f"{API}/units/launch/", {"units": [unit("500103004").pk, unit("500106001").pk],
                                                  "launched_on": "2026-03-01", "plan_file": pdf()}, format="multipart")
    assert other.status_code == 404
    assert unit("500103004").status == "not_started" and unit("500106001").status == "not_started"
    again = client.post(f"{API}/units/launch/", {"units": [unit("500103003").pk], "launched_on": "2026-03-01",
                                                  "plan_file": pdf()}, format="multipart")
    assert again.status_code == 400 and "解放碑街道" in str(again.json())
    no_file = client.post(f"{API}/units/launch/", {"units": [unit("500103004").pk], "launched_on": "2026-03-01"},
                          format="multipart")
    assert no_file.status_code == 400 and "plan_file" in no_file.json()


def test_transition_action_follows_the_tables(api_client_for, city_admin, district_a, district_b, unit_a, dept_ga):
    u = bring_to("500103003", "launched", city=city_admin)
    url = f"{API}/units/{u.pk}/transition/"
    assert api_client_for(district_b).post(url, {"to": "applied"}).status_code == 404
    assert api_client_for(dept_ga).post(url, {"to": "applied"}).status_code == 403
    skip = api_client_for(city_admin).post(url, {"to": "city", "document": pdf()}, format="multipart")
    assert skip.status_code == 400 and unit("500103003").status == "launched"
    assert api_client_for(unit_a).post(url, {"to": "applied", "effective_on": "2026-01-04"}).status_code == 201
    assert api_client_for(district_a).post(url, {"to": "city", "document": pdf()}, format="multipart").status_code == 403
    ok = api_client_for(city_admin).post(url, {"to": "city", "document": pdf(), "effective_on": "2026-01-05"},
                                         format="multipart")
    assert ok.status_code == 201 and ok.json()["valid_until"] == "2029-01-05"
    history = api_client_for(unit_a).get(f"{API}/units/{u.pk}/history/").json()
    assert [h["to_status"] for h in history] == ["city", "applied", "launched"]
    assert api_client_for(district_b).get(f"{API}/units/{u.pk}/history/").status_code == 404


def test_transitions_list_is_scoped(api_client_for, city_admin, district_b):
    bring_to("500103003", "launched", city=city_admin)
    bring_to("500106001", "launched", city=city_admin)
    rows = api_client_for(district_b).get(f"{API}/transitions/").json()["results"]
    assert [r["unit"] for r in rows] == ["500106001"]
    t = CreationTransition.objects.get(creating_unit__org_unit__code="500103003")
    assert api_client_for(district_b).get(f"{API}/transitions/{t.pk}/").status_code == 404


def test_register_action(api_client_for, district_a):
    client = api_client_for(district_a)
    ok = client.post(f"{API}/units/register/", {"district": "500103", "kind": "enterprise", "name": "某集团社区",
                                                 "workforce": 800}, format="json")
    assert ok.status_code == 201 and ok.json()["code"] == "500103E001"
    other = client.post(f"{API}/units/register/", {"district": "500106", "kind": "park", "name": "园",
                                                    "workforce": 8}, format="json")
    assert other.status_code == 403 and not OrgUnit.objects.filter(name="园").exists()


def test_letters_api(api_client_for, city_admin, district_a, district_b, unit_b):
    today = str(timezone.localdate())
    created = api_client_for(district_a).post(f"{API}/letters/", {
        "year": 2026, "level": "district_unit", "org_unit": "500103003", "targets": "完成", "upper_signatory": "a",
        "lower_signatory": "b", "signed_on": today, "document": pdf()}, format="multipart")
    assert created.status_code == 201 and created.json()["document_url"].startswith("/archive/files/")
    pk = created.json()["id"]
    assert api_client_for(district_b).get(f"{API}/letters/{pk}/").status_code == 404
    assert api_client_for(unit_b).get(f"{API}/letters/").json()["count"] == 0
    assert api_client_for(unit_b).post(f"{API}/letters/", {}).status_code == 403
    bad = api_client_for(district_a).post(f"{API}/letters/", {
        "year": 2026, "level": "city_district", "org_unit": "500103", "targets": "x", "upper_signatory": "a",
        "lower_signatory": "b", "signed_on": today}, format="json")
    assert bad.status_code == 403 and ResponsibilityLetter.objects.count() == 1


def test_assessments_api(api_client_for, city_admin, district_a, district_b, plan):
    created = api_client_for(city_admin).post(f"{API}/assessments/", {"year": 2026, "district": "500103",
                                                                     "score": "91.5"}, format="json")
    assert created.status_code == 201 and created.json()["target_launched"] == 4
    assert api_client_for(district_a).post(f"{API}/assessments/", {}).status_code == 403
    assert api_client_for(district_b).get(f"{API}/assessments/{created.json()['id']}/").status_code == 404
    bad = api_client_for(city_admin).post(f"{API}/assessments/", {"year": 2026, "district": "500106",
                                                                 "score": "150"}, format="json")
    assert bad.status_code == 400 and "score" in bad.json()


def test_meetings_and_follow_ups_api(api_client_for, district_a, district_b, dept_ga, unit_a):
    d = OrgUnit.objects.get(code="500103")
    member = member_save(actor=district_a, org_unit=d, name="区应急局")
    client = api_client_for(district_a)
    created = client.post(f"{API}/meetings/", {"org_unit": "500103", "title": "第一次联席会议",
                                               "held_on": str(date(2026, 1, 5)), "attendees": [member.pk],
                                               "decisions": ["启动4个街道"]}, format="json")
    assert created.status_code == 201
    meeting = created.json()
    assert api_client_for(district_b).get(f"{API}/meetings/{meeting['id']}/").status_code == 404
    assert api_client_for(unit_a).get(f"{API}/meetings/").status_code == 403
    decision = meeting["decision_list"][0]["id"]
    fu = client.post(f"{API}/meetings/{meeting['id']}/follow_ups/", {"decision": decision, "task": "报送",
                                                                      "owner": member.pk, "due_on": "2026-02-01"},
                     format="json")
    assert fu.status_code == 201
    item = fu.json()["id"]
    assert api_client_for(district_b).post(f"{API}/follow-ups/{item}/complete/", {"result": "x"}).status_code == 404
    assert api_client_for(dept_ga).get(f"{API}/follow-ups/{item}/").status_code == 404
    empty = client.post(f"{API}/follow-ups/{item}/complete/", {"result": ""}, format="json")
    assert empty.status_code == 400
    done = client.post(f"{API}/follow-ups/{item}/complete/", {"result": "已报送"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    twice = client.post(f"{API}/follow-ups/{item}/complete/", {"result": "再次"}, format="json")
    assert twice.status_code == 400


def test_members_api_is_scoped(api_client_for, district_a, district_b):
    created = api_client_for(district_a).post(f"{API}/meeting-members/", {"org_unit": "500103", "name": "区教委"},
                                              format="json")
    assert created.status_code == 201
    assert api_client_for(district_b).get(f"{API}/meeting-members/{created.json()['id']}/").status_code == 404
    other = api_client_for(district_a).post(f"{API}/meeting-members/", {"org_unit": "500106", "name": "x"},
                                            format="json")
    assert other.status_code == 403


@pytest.mark.parametrize("endpoint", ["plans", "district-plans", "units", "transitions", "letters", "assessments",
                                      "meeting-members", "meetings", "follow-ups"])
def test_the_schema_lists_every_endpoint(api_client_for, city_admin, endpoint):
    schema = api_client_for(city_admin).get("/api/schema/").content.decode()
    assert f"/api/v1/creation/{endpoint}/" in schema


def test_a_city_meeting_follow_up_is_seen_by_its_department(api_client_for, city_admin, dept_ga, tree):
    from safecommunity.creation.services import members_from_departments

    city = OrgUnit.objects.get(level="city")
    members_from_departments(actor=city_admin, org_unit=city)
    meeting = meeting_save(actor=city_admin, org_unit=city, title="市会", held_on=timezone.localdate(),
                           decisions=["交通"])
    from safecommunity.creation.models import JointMeetingMember

    item = follow_up_create(actor=city_admin, decision=meeting.decisions.get(), task="整治",
                            owner=JointMeetingMember.objects.get(department__code="GA"), due_on=timezone.localdate())
    rows = api_client_for(dept_ga).get(f"{API}/follow-ups/").json()["results"]
    assert [r["id"] for r in rows] == [item.pk]
    done = api_client_for(dept_ga).post(f"{API}/follow-ups/{item.pk}/complete/", {"result": "完成"}, format="json")
    assert done.status_code == 200


@pytest.mark.parametrize("user, endpoint", [
    ("unit_a", "plans"), ("unit_a", "district-plans"), ("unit_a", "assessments"), ("unit_a", "meeting-members"),
    ("unit_a", "meetings"), ("unit_a", "follow-ups"), ("dept_ga", "plans"), ("dept_ga", "units"),
    ("dept_ga", "transitions"), ("dept_ga", "letters"), ("expert", "units"), ("expert", "follow-ups"),
    ("sysadmin", "letters"), ("sysadmin", "meetings"),
])
def test_wrong_roles_get_403_on_the_api(request, api_client_for, plan, user, endpoint):
    assert api_client_for(request.getfixturevalue(user)).get(f"{API}/{endpoint}/").status_code == 403


def test_a_unit_sees_only_its_own_unit_and_history(api_client_for, city_admin, unit_a):
    bring_to("500103001", "launched", city=city_admin)
    rows = api_client_for(unit_a).get(f"{API}/units/").json()["results"]
    assert [r["code"] for r in rows] == ["500103003"]
    assert api_client_for(unit_a).get(f"{API}/units/{unit('500103001').pk}/history/").status_code == 404
    refused = api_client_for(unit_a).post(f"{API}/units/launch/", {
        "units": [unit("500103003").pk], "launched_on": "2026-03-01", "plan_file": pdf()}, format="multipart")
    assert refused.status_code == 403 and unit("500103003").status == "not_started"
