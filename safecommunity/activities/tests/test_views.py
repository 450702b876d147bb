"""Activity, plan, equipment, team, drill and meeting pages and API: scoping, writes, bad input,
evidence, and the monthly figures."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.activities import monthly_figures
from safecommunity.activities.models import Activity, Drill, EmergencyTeam, TeamMember
from safecommunity.activities.tests import factories as f
from safecommunity.archive.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
KINDS = [("events", f.ActivityFactory), ("plans", f.PlanFactory), ("equipment", f.EquipmentFactory),
         ("teams", f.TeamFactory), ("drills", f.DrillFactory), ("meetings", f.MeetingFactory)]
API = {"events": "activities", "plans": "emergency-plans", "equipment": "equipment", "teams": "emergency-teams",
       "drills": "drills", "meetings": "meetings"}


@pytest.mark.parametrize("prefix, factory", KINDS)
def test_pages_are_scoped(tree, client_for, unit_a, unit_a2, district_a, district_b, dept_ga, prefix, factory):
    obj = factory()
    base = f"/activities/{prefix}/"
    for url in (base, f"{base}new/", f"{base}{obj.pk}/", f"{base}{obj.pk}/edit/", f"{base}{obj.pk}/delete/"):
        assert client_for(unit_a).get(url).status_code == 200, url
        assert client_for(dept_ga).get(url).status_code == 403, url
    for url in (f"{base}{obj.pk}/", f"{base}{obj.pk}/edit/", f"{base}{obj.pk}/delete/"):
        assert client_for(district_b).get(url).status_code == 404, url
        assert client_for(unit_a2).get(url).status_code == 404, url
    assert str(obj) not in client_for(district_b).get(base).content.decode()
    assert client_for(district_a).get(f"{base}?export=xlsx")["Content-Type"].startswith("application/vnd")


@pytest.mark.parametrize("prefix, factory", KINDS)
def test_api_is_scoped(tree, api_client_for, unit_a, district_b, dept_ga, prefix, factory):
    obj = factory()
    url = f"/api/v1/{API[prefix]}/"
    assert api_client_for(unit_a).get(f"{url}{obj.pk}/").status_code == 200
    assert api_client_for(district_b).get(f"{url}{obj.pk}/").status_code == 404
    assert api_client_for(dept_ga).get(url).status_code == 403
    assert api_client_for(district_b).delete(f"{url}{obj.pk}/").status_code == 404
    assert api_client_for(unit_a).delete(f"{url}{obj.pk}/").status_code == 204


def test_unit_worker_records_a_drill(tree, client_for, unit_a):
    team = f.TeamFactory()
    response = client_for(unit_a).post("/activities/drills/new/", {
        "title": "防汛演练", "event_type": "natural_disaster", "scenario": "暴雨内涝转移群众", "held_on": "2025-07-01",
        "participants": "80", "team": team.pk, "evaluation": "转移及时", "follow_up": "补充沙袋"})
    assert response.status_code == 302
    drill = Drill.objects.get()
    assert (drill.org_unit.code, drill.team, drill.created_by) == ("500103003", team, unit_a)


def test_bad_drill_input_names_the_fields_and_saves_nothing(tree, client_for, unit_a):
    other_team = f.TeamFactory(code="500103001")
    page = client_for(unit_a).post("/activities/drills/new/", {
        "title": "", "event_type": "earthquake", "scenario": "x", "held_on": "2025-13-01", "participants": "-1",
        "team": other_team.pk})
    assert page.status_code == 200
    assert {"title", "event_type", "held_on", "participants", "team"} <= set(page.context["form"].errors)
    assert not Drill.objects.exists()


def test_district_records_a_district_level_standards_training(tree, client_for, district_a, unit_a):
    data = {"kind": "standards_training", "title": "安全社区创建标准与方法培训", "held_on": "2025-04-10",
            "audience": "各街道创建工作人员", "participants": "45", "organiser": "区安委办"}
    assert client_for(district_a).post("/activities/events/new/", {**data, "org_unit": tree["500103"].pk}).status_code == 302
    assert Activity.objects.get().org_unit.code == "500103"
    page = client_for(district_a).post("/activities/events/new/", {**data, "org_unit": tree["500106"].pk})
    assert "org_unit" in page.context["form"].errors  # another district
    client_for(unit_a).post("/activities/events/new/", {**data, "org_unit": tree["500103"].pk})
    assert Activity.objects.filter(org_unit__code="500103003").count() == 1  # a unit records for itself only


def test_team_members(tree, client_for, unit_a, unit_b):
    team = f.TeamFactory()
    client = client_for(unit_a)
    client.post(f"/activities/teams/{team.pk}/members/", {"name": "李四", "position": "队员", "phone": "13800000000"})
    member = TeamMember.objects.get()
    assert "李四" in client.get(f"/activities/teams/{team.pk}/").content.decode()
    assert client_for(unit_b).post(f"/activities/members/{member.pk}/remove/").status_code == 404
    page = client.post(f"/activities/teams/{team.pk}/members/", {"name": ""}, follow=True)
    assert page.context["messages"] and TeamMember.objects.count() == 1
    client.post(f"/activities/members/{member.pk}/remove/")
    assert not TeamMember.objects.exists()


def test_delete_asks_then_removes_the_record_and_its_files(tree, client_for, unit_a):
    drill = f.DrillFactory()
    client = client_for(unit_a)
    client.post(f"/activities/drills/{drill.pk}/files/", {"role": "sign_in_sheet",
                                                         "files": [SimpleUploadedFile("签到表.png", PNG)]})
    assert Attachment.objects.count() == 1
    assert "确认" in client.get(f"/activities/drills/{drill.pk}/delete/").content.decode()
    assert client.post(f"/activities/drills/{drill.pk}/delete/").status_code == 302
    assert not Drill.objects.exists() and not Attachment.objects.exists()


def test_evidence_on_an_activity(tree, client_for, unit_a, dept_ga, settings):
    event = f.ActivityFactory()
    url = f"/activities/events/{event.pk}/files/"
    client = client_for(unit_a)
    client.post(url, {"role": "sign_in_sheet", "files": [SimpleUploadedFile("签到表.png", PNG)]})
    client.post(url, {"role": "photo", "files": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG)]})
    assert list(Attachment.objects.order_by("pk").values_list("role", flat=True)) == ["sign_in_sheet", "photo", "photo"]
    assert Attachment.objects.filter(element__code="E06").count() == 3
    page = client.post(url, {"role": "nonsense", "files": [SimpleUploadedFile("c.png", PNG)]}, follow=True)
    assert page.context["messages"]
    settings.ATTACHMENT_MAX_BYTES = 20
    client.post(url, {"role": "photo", "files": [SimpleUploadedFile("d.png", PNG)]})
    assert Attachment.objects.count() == 3
    assert client_for(dept_ga).post(url, {"role": "photo"}).status_code == 403
    assert "签到表.png" in client.get(f"/activities/events/{event.pk}/").content.decode()


def test_api_creates_for_the_users_unit_and_refuses_bad_input(tree, api_client_for, unit_a, district_a):
    client = api_client_for(unit_a)
    ok = client.post("/api/v1/drills/", {"title": "地震演练", "event_type": "natural_disaster", "scenario": "地震疏散",
                                         "held_on": "2025-05-12", "participants": 300}, format="json")
    assert ok.status_code == 201 and ok.json()["org_unit"] == "500103003"
    bad = client.post("/api/v1/drills/", {"title": "x", "event_type": "meteor", "scenario": "x",
                                          "held_on": "2025-05-12", "participants": 3, "org_unit": "500106001"},
                      format="json")
    assert bad.status_code == 400 and {"event_type", "org_unit"} <= set(bad.json())
    missing = api_client_for(district_a).post("/api/v1/meetings/", {"kind": "work", "title": "x",
                                                                     "held_on": "2025-01-01", "minutes": "x"},
                                              format="json")
    assert missing.status_code == 400 and "org_unit" in missing.json()
    assert Drill.objects.count() == 1
    team = api_client_for(district_a).post("/api/v1/emergency-teams/", {
        "org_unit": "500103001", "name": "七星岗救援队", "leader": "王", "established_on": "2025-01-01"}, format="json")
    assert team.status_code == 201
    other_team = EmergencyTeam.objects.get(name="七星岗救援队").pk
    cross = client.post("/api/v1/drills/", {"title": "x", "event_type": "accident", "scenario": "x",
                                            "held_on": "2025-05-12", "participants": 3, "team": other_team},
                        format="json")
    assert cross.status_code == 400 and "team" in cross.json()


def test_api_team_members(tree, api_client_for, unit_a, unit_b):
    team = f.TeamFactory()
    created = api_client_for(unit_a).post("/api/v1/team-members/", {"team": team.pk, "name": "赵六"}, format="json")
    assert created.status_code == 201
    assert api_client_for(unit_b).post("/api/v1/team-members/", {"team": team.pk, "name": "x"},
                                       format="json").status_code == 400
    assert api_client_for(unit_b).get(f"/api/v1/team-members/{created.json()['id']}/").status_code == 404


def test_monthly_figures(tree):
    f.ActivityFactory(held_on=date(2025, 5, 3), participants=40)
    f.ActivityFactory(held_on=date(2025, 5, 30), participants=25)
    f.ActivityFactory(held_on=date(2025, 6, 1))
    f.DrillFactory(held_on=date(2025, 5, 20))
    f.DrillFactory(code="500103001", held_on=date(2025, 5, 20))
    from safecommunity.orgunits.models import CreatingUnit

    units = {cu.org_unit.code: cu.pk for cu in CreatingUnit.objects.select_related("org_unit")}
    figures = monthly_figures.monthly_figures(creating_unit_ids=[units["500103003"], units["500103001"]],
                                              period=date(2025, 5, 1))
    assert figures[units["500103003"]] == {"trainings": 2, "training_participants": 65, "drills": 1}
    assert figures[units["500103001"]] == {"drills": 1}


def test_equipment_with_an_overdue_check_can_be_listed(tree, client_for, unit_a):
    f.EquipmentFactory(name="过期灭火器", next_check_on=date(2020, 1, 1))
    f.EquipmentFactory(name="报废冲锋舟", next_check_on=date(2020, 1, 1), retired_on=date(2021, 1, 1))
    f.EquipmentFactory(name="新灭火器", next_check_on=date(2100, 1, 1))
    page = client_for(unit_a).get("/activities/equipment/?overdue=true")
    names = [o.name for o in page.context["object_list"]]
    assert names == ["过期灭火器"]


def test_lists_count_the_evidence_files_of_each_record(tree, client_for, unit_a):
    with_files, without = f.DrillFactory(), f.DrillFactory()
    client = client_for(unit_a)
    client.post(f"/activities/drills/{with_files.pk}/files/", {
        "role": "photo", "files": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG)]})
    counts = {o.pk: o.n_files for o in client.get("/activities/drills/").context["object_list"]}
    assert counts == {with_files.pk: 2, without.pk: 0}
