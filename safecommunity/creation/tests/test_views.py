"""Every page: in scope 200, other district 404, wrong role 403; bad input names the field and saves nothing."""

from datetime import date

import pytest
from django.utils import timezone

from safecommunity.creation.models import (
    CreationTransition,
    DistrictAssessment,
    FollowUp,
    JointMeeting,
    JointMeetingMember,
    PlanYear,
    ResponsibilityLetter,
)
from safecommunity.creation.services import (
    assessment_save,
    follow_up_create,
    letter_save,
    meeting_save,
    member_save,
    members_from_departments,
)
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from .conftest import pdf, unit
from .factories import bring_to


@pytest.fixture
def records(plan, city_admin, district_a, district_b):
    """A letter, an assessment, a meeting with a follow-up in each district."""
    today = timezone.localdate()
    out = {}
    for district, user in (("500103", district_a), ("500106", district_b)):
        d = OrgUnit.objects.get(code=district)
        out[f"letter_{district}"] = letter_save(actor=city_admin, year=2026, level="city_district", org_unit=d,
                                                targets="启动4个", upper_signatory="张主任", lower_signatory="区长",
                                                signed_on=today, target_launched=4, target_designated=1)
        out[f"assessment_{district}"] = assessment_save(actor=city_admin, district=d, year=2026, score=90)
        member = member_save(actor=user, org_unit=d, name=f"{d.name}应急局")
        meeting = meeting_save(actor=user, org_unit=d, title=f"{d.name}联席会议", held_on=today,
                               attendees=[member], decisions=["推进启动工作"])
        out[f"meeting_{district}"] = meeting
        out[f"member_{district}"] = member
        out[f"followup_{district}"] = follow_up_create(actor=user, decision=meeting.decisions.get(), task="报送方案",
                                                       owner=member, due_on=today)
    return out


def pages(records):
    a = "500103"
    return [
        "/creation/plans/", "/creation/plans/2026/", "/creation/plans/2026/?export=xlsx",
        f"/creation/districts/{a}/three-year/", f"/creation/districts/{a}/three-year/?export=xlsx",
        "/creation/launch/", "/creation/units/new/", "/creation/transitions/", "/creation/titles/", "/creation/transitions/?export=xlsx",
        "/creation/letters/", "/creation/letters/new/", f"/creation/letters/{records['letter_' + a].pk}/",
        "/creation/assessments/", "/creation/assessments/?export=xlsx",
        "/creation/meetings/", "/creation/meetings/new/", f"/creation/meetings/{records['meeting_' + a].pk}/",
        f"/creation/meetings/{records['meeting_' + a].pk}/edit/",
        f"/creation/meetings/{records['meeting_' + a].pk}/follow-ups/new/",
        "/creation/members/", "/creation/members/new/", f"/creation/members/{records['member_' + a].pk}/edit/",
        "/creation/follow-ups/", "/creation/follow-ups/?export=xlsx",
        f"/creation/follow-ups/{records['followup_' + a].pk}/done/",
    ]


def test_every_page_opens_for_the_district_office(client_for, district_a, records):
    client = client_for(district_a)
    for url in pages(records):
        response = client.get(url)
        assert response.status_code == 200, url


def test_city_pages_open_for_the_city_office(client_for, city_admin, records):
    client = client_for(city_admin)
    for url in pages(records) + ["/creation/plans/new/", "/creation/plans/2026/edit/",
                                 "/creation/plans/2026/districts/500103/edit/", "/creation/assessments/new/",
                                 f"/creation/assessments/{records['assessment_500103'].pk}/edit/",
                                 "/creation/launch/?district=500106",
                                 f"/creation/letters/{records['letter_500103'].pk}/edit/"]:
        assert client.get(url).status_code == 200, url


def test_another_districts_records_answer_404(client_for, district_b, city_admin, records):
    client = client_for(district_b)
    a = "500103"
    for url in [
        f"/creation/districts/{a}/three-year/", f"/creation/letters/{records['letter_' + a].pk}/",
        f"/creation/letters/{records['letter_' + a].pk}/edit/",
        f"/creation/meetings/{records['meeting_' + a].pk}/", f"/creation/meetings/{records['meeting_' + a].pk}/edit/",
        f"/creation/meetings/{records['meeting_' + a].pk}/follow-ups/new/",
        f"/creation/members/{records['member_' + a].pk}/edit/",
        f"/creation/follow-ups/{records['followup_' + a].pk}/done/",
        "/creation/units/500103003/transition/",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"/creation/follow-ups/{records['followup_' + a].pk}/reopen/")
    assert response.status_code == 404


def test_lists_show_only_the_users_district(client_for, district_b, records):
    client = client_for(district_b)
    for url, hidden, shown in [
        ("/creation/letters/", "渝中区", "沙坪坝区"),
        ("/creation/meetings/", "渝中区联席会议", "沙坪坝区联席会议"),
        ("/creation/members/", "渝中区应急局", "沙坪坝区应急局"),
        ("/creation/plans/2026/", "渝中区", "沙坪坝区"),
        ("/creation/assessments/", "渝中区", "沙坪坝区"),
    ]:
        page = client.get(url).content.decode()
        assert shown in page and hidden not in page, url


@pytest.mark.parametrize("user, url", [
    ("unit_a", "/creation/plans/"), ("unit_a", "/creation/plans/2026/"), ("unit_a", "/creation/launch/"),
    ("unit_a", "/creation/units/new/"), ("unit_a", "/creation/meetings/"), ("unit_a", "/creation/members/"),
    ("unit_a", "/creation/assessments/"), ("unit_a", "/creation/follow-ups/"),
    ("unit_a", "/creation/districts/500103/three-year/"), ("unit_a", "/creation/titles/"), ("unit_a", "/creation/letters/new/"),
    ("district_a", "/creation/plans/new/"), ("district_a", "/creation/plans/2026/edit/"),
    ("district_a", "/creation/plans/2026/districts/500103/edit/"), ("district_a", "/creation/assessments/new/"),
    ("dept_ga", "/creation/plans/"), ("dept_ga", "/creation/transitions/"), ("dept_ga", "/creation/letters/"),
    ("dept_ga", "/creation/units/500103003/transition/"), ("expert", "/creation/plans/2026/"),
    ("expert", "/creation/follow-ups/"), ("sysadmin", "/creation/meetings/"),
])
def test_wrong_roles_get_403(request, client_for, plan, user, url):
    assert client_for(request.getfixturevalue(user)).get(url).status_code == 403


def test_a_district_letter_cannot_be_edited_by_the_district(client_for, district_a, records):
    assert client_for(district_a).get(f"/creation/letters/{records['letter_500103'].pk}/edit/").status_code == 403


class TestLaunchPage:
    def test_a_district_launches_two_townships_and_the_plan_page_follows(self, client_for, district_a, plan):
        client = client_for(district_a)
        ids = [unit("500103003").pk, unit("500103001").pk]
        response = client.post("/creation/launch/", {"units": ids, "launched_on": "2026-03-01",
                                                     "plan_file": pdf(), "next": "/creation/plans/2026/"})
        assert response.status_code == 302 and response["Location"] == "/creation/plans/2026/"
        page = client.get("/creation/plans/2026/")
        row = page.context["rows"][0]
        assert (row.launched_year, row.gap) == (2, 2)
        assert "解放碑街道" not in [u.org_unit.name for u in page.context["not_launched"]]
        assert len(page.context["not_launched"]) == 9

    def test_another_districts_unit_is_not_a_choice(self, client_for, district_a, plan):
        response = client_for(district_a).post("/creation/launch/", {
            "units": [unit("500106001").pk], "launched_on": "2026-03-01", "plan_file": pdf()})
        assert response.status_code == 200
        assert "units" in response.context["form"].errors
        assert unit("500106001").status == "not_started"

    @pytest.mark.parametrize("data, field", [
        ({"launched_on": ""}, "launched_on"),
        ({"launched_on": "2999-01-01"}, "launched_on"),
        ({"plan_file": None}, "plan_file"),
        ({"units": []}, "units"),
    ])
    def test_bad_input_names_the_field_and_launches_nothing(self, client_for, district_a, plan, data, field):
        post = {"units": [unit("500103003").pk], "launched_on": "2026-03-01", "plan_file": pdf(), **data}
        post = {k: v for k, v in post.items() if v is not None}
        response = client_for(district_a).post("/creation/launch/", post)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not CreationTransition.objects.exists()


class TestTransitionPage:
    def test_the_city_designates_with_a_decision_document(self, client_for, city_admin):
        bring_to("500103003", "applied", city=city_admin)
        response = client_for(city_admin).post("/creation/units/500103003/transition/", {
            "to": "city", "effective_on": "2026-01-10", "reason": "渝安委〔2026〕1号", "document": pdf("决定.pdf")})
        assert response.status_code == 302
        assert unit("500103003").status == "city"
        page = client_for(city_admin).get("/orgunits/500103003/").content.decode()
        assert "渝安委〔2026〕1号" in page and "决定.pdf" in page and "2029-01-10" in page

    def test_a_district_may_not_designate(self, client_for, city_admin, district_a):
        bring_to("500103003", "applied", city=city_admin)
        response = client_for(district_a).post("/creation/units/500103003/transition/", {
            "to": "city", "effective_on": "2026-01-10", "document": pdf()})
        assert response.status_code == 200
        assert "您的角色无权将状态设为“重庆市安全社区”" in response.content.decode()
        assert unit("500103003").status == "applied"

    def test_a_unit_not_launched_cannot_be_designated_and_the_page_says_so(self, client_for, city_admin):
        response = client_for(city_admin).post("/creation/units/500103003/transition/", {
            "to": "city", "effective_on": "2026-01-10", "document": pdf()})
        assert response.status_code == 200 and unit("500103003").status == "not_started"
        assert "解放碑街道当前为“未启动”，不能变为“重庆市安全社区”" in response.content.decode()
        assert not CreationTransition.objects.exists()

    def test_the_unit_page_shows_the_history_to_the_unit(self, client_for, city_admin, unit_a):
        bring_to("500103003", "launched", city=city_admin, on=date(2025, 3, 1))
        page = client_for(unit_a).get("/orgunits/500103003/").content.decode()
        assert "creation-history" in page and "2025-03-01" in page

    def test_a_unit_worker_applies_for_its_unit(self, client_for, city_admin, unit_a):
        bring_to("500103003", "launched", city=city_admin)
        response = client_for(unit_a).post("/creation/units/500103003/transition/", {
            "to": "applied", "effective_on": "2026-01-10"})
        assert response.status_code == 302 and unit("500103003").status == "applied"

    def test_a_role_with_no_status_to_give_reads_why_not_a_500(self, client_for, city_admin, district_a, unit_a):
        response = client_for(unit_a).get("/creation/units/500103003/transition/")  # not launched yet
        assert response.status_code == 403  # the product's own page, saying why
        assert "解放碑街道当前为“未启动”，您的角色目前无可变更的状态" in response.content.decode()

    def test_returning_without_reason_names_the_field(self, client_for, city_admin):
        bring_to("500103003", "applied", city=city_admin)
        response = client_for(city_admin).post("/creation/units/500103003/transition/", {
            "to": "returned", "effective_on": "2026-01-10"})
        assert "reason" in response.context["form"].errors
        assert unit("500103003").status == "applied"


class TestPlanPages:
    def test_the_city_opens_a_year_and_edits_a_percentage(self, client_for, city_admin, tree):
        client = client_for(city_admin)
        assert client.post("/creation/plans/new/", {"year": "2026"}).status_code == 302
        response = client.post("/creation/plans/2026/districts/500103/edit/",
                               {"category": "main_urban", "percentage": "50"})
        assert response.status_code == 302
        page = client.get("/creation/plans/2026/")
        row = next(r for r in page.context["rows"] if r.district.code == "500103")
        assert row.quota == 6

    def test_bad_percentage_is_named_and_nothing_changes(self, client_for, city_admin, plan):
        response = client_for(city_admin).post("/creation/plans/2026/districts/500103/edit/",
                                               {"category": "main_urban", "percentage": "130"})
        assert response.status_code == 200 and "percentage" in response.context["form"].errors
        assert plan.districts.get(org_unit__code="500103").percentage == 30

    def test_opening_a_year_twice_is_refused(self, client_for, city_admin, plan):
        response = client_for(city_admin).post("/creation/plans/new/", {"year": "2026"})
        assert response.status_code == 200 and "year" in response.context["form"].errors
        assert PlanYear.objects.count() == 1

    def test_the_plan_export_has_a_row_per_district(self, client_for, city_admin, plan):
        from io import BytesIO

        from openpyxl import load_workbook

        response = client_for(city_admin).get("/creation/plans/2026/?export=xlsx")
        ws = load_workbook(BytesIO(response.content)).active
        values = [[c.value for c in row] for row in ws.iter_rows()]
        assert values[0][:6] == ["区县", "代码", "类别", "启动比例", "乡镇（街道）数", "任务数"]
        assert [v[0] for v in values[1:]] == ["渝中区", "沙坪坝区", "合计"]
        assert values[1][5] == 4

    def test_the_city_page_shows_targets_chart_and_map(self, client_for, city_admin, plan):
        page = client_for(city_admin).get("/creation/plans/2026/").content.decode()
        assert 'id="targets-chart"' in page and 'id="district-map"' in page and "800" in page


class TestEnterpriseRegistration:
    def test_a_district_registers_a_park(self, client_for, district_a):
        response = client_for(district_a).post("/creation/units/new/", {
            "district": OrgUnit.objects.get(code="500103").pk, "kind": "park", "name": "渝中科技园",
            "workforce": "1200"})
        assert response.status_code == 302
        cu = CreatingUnit.objects.get(org_unit__name="渝中科技园")
        assert (cu.kind, cu.workforce, cu.org_unit.code, cu.org_unit.level) == ("park", 1200, "500103P001", "park")

    def test_another_district_is_not_a_choice(self, client_for, district_a):
        response = client_for(district_a).post("/creation/units/new/", {
            "district": OrgUnit.objects.get(code="500106").pk, "kind": "park", "name": "X园", "workforce": "1"})
        assert "district" in response.context["form"].errors
        assert not OrgUnit.objects.filter(name="X园").exists()

    def test_missing_workforce_is_named(self, client_for, district_a):
        response = client_for(district_a).post("/creation/units/new/", {
            "district": OrgUnit.objects.get(code="500103").pk, "kind": "enterprise", "name": "某企业"})
        assert "workforce" in response.context["form"].errors
        assert not OrgUnit.objects.filter(name="某企业").exists()


class TestLettersAndAssessments:
    def test_a_district_records_a_letter_with_its_unit(self, client_for, district_a, unit_a):
        response = client_for(district_a).post("/creation/letters/new/", {
            "year": "2026", "level": "district_unit", "org_unit": "500103003", "targets": "完成7个促进项目",
            "upper_signatory": "李科长", "lower_signatory": "刘主任", "signed_on": "2026-02-01",
            "document": pdf("责任书.pdf")})
        assert response.status_code == 302
        letter = ResponsibilityLetter.objects.get()
        assert letter.document.original_name == "责任书.pdf"
        assert client_for(unit_a).get(letter.get_absolute_url()).status_code == 200

    def test_a_district_may_not_sign_for_the_city_or_another_district(self, client_for, district_a):
        for data in ({"level": "city_district", "org_unit": "500103"},
                     {"level": "district_unit", "org_unit": "500106001"}):
            response = client_for(district_a).post("/creation/letters/new/", {
                "year": "2026", "targets": "x", "upper_signatory": "a", "lower_signatory": "b",
                "signed_on": "2026-02-01", **data})
            assert response.status_code == 200
            assert response.context["form"].errors
        assert not ResponsibilityLetter.objects.exists()

    def test_a_second_letter_for_the_same_year_is_refused(self, client_for, city_admin, records):
        response = client_for(city_admin).post("/creation/letters/new/", {
            "year": "2026", "level": "city_district", "org_unit": "500103", "targets": "x",
            "upper_signatory": "a", "lower_signatory": "b", "signed_on": "2026-02-01"})
        assert "org_unit" in response.context["form"].errors
        assert ResponsibilityLetter.objects.count() == 2

    def test_the_assessment_takes_targets_from_the_letter_and_counts_actuals(self, client_for, city_admin, records,
                                                                              district_a):
        from safecommunity.creation.services import creating_units_launch

        creating_units_launch(units=[unit("500103003")], actor=district_a, launched_on=date(2026, 3, 1),
                              plan_file=pdf())
        response = client_for(city_admin).post(
            f"/creation/assessments/{records['assessment_500103'].pk}/edit/", {"score": "88.5", "remarks": "良好"})
        assert response.status_code == 302
        row = DistrictAssessment.objects.get(org_unit__code="500103")
        assert (row.target_launched, row.actual_launched, row.score, row.target_designated) == (4, 1, 88.5, 1)

    def test_a_bad_score_is_named(self, client_for, city_admin, records):
        response = client_for(city_admin).post(
            f"/creation/assessments/{records['assessment_500103'].pk}/edit/", {"score": "101"})
        assert "score" in response.context["form"].errors
        assert DistrictAssessment.objects.get(org_unit__code="500103").score == 90


class TestJointMeetings:
    def test_members_come_from_the_departments(self, city_admin, tree):
        city = OrgUnit.objects.get(level="city")
        n = members_from_departments(actor=city_admin, org_unit=city)
        assert n == JointMeetingMember.objects.filter(org_unit=city).count() > 5
        assert members_from_departments(actor=city_admin, org_unit=city) == 0
        assert JointMeetingMember.objects.get(org_unit=city, is_lead=True).department.code == "AJ"

    def test_a_district_adds_its_members_by_name_not_municipal_departments(self, client_for, district_a, tree):
        response = client_for(district_a).post("/creation/members/from-departments/", follow=True)
        assert "市级部门是市联席会议的成员单位" in response.content.decode()
        assert not JointMeetingMember.objects.exists()

    def test_a_meeting_with_decisions_and_follow_ups_tracked_to_done(self, client_for, district_a, records):
        meeting = records["meeting_500103"]
        member = records["member_500103"]
        client = client_for(district_a)
        response = client.post(f"/creation/meetings/{meeting.pk}/edit/", {
            "title": meeting.title, "held_on": str(meeting.held_on), "attendees": [member.pk],
            "decisions": "推进启动工作\n开展培训", "minutes_file": pdf("纪要.pdf")})
        assert response.status_code == 302
        meeting = JointMeeting.objects.get(pk=meeting.pk)
        assert [d.text for d in meeting.decisions.all()] == ["推进启动工作", "开展培训"]
        assert meeting.minutes.original_name == "纪要.pdf"
        decision = meeting.decisions.get(number=2)
        response = client.post(f"/creation/meetings/{meeting.pk}/follow-ups/new/", {
            "decision": decision.pk, "task": "组织培训", "owner": member.pk, "due_on": "2026-12-31"})
        assert response.status_code == 302
        item = FollowUp.objects.get(task="组织培训")
        response = client.post(f"/creation/follow-ups/{item.pk}/done/", {"result": "已培训120人"})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == "done" and item.done_on == timezone.localdate()

    def test_a_decision_with_follow_ups_cannot_be_removed(self, client_for, district_a, records):
        meeting = records["meeting_500103"]
        response = client_for(district_a).post(f"/creation/meetings/{meeting.pk}/edit/", {
            "title": "改名", "held_on": str(meeting.held_on), "decisions": ""})
        assert response.status_code == 200 and "decisions" in response.context["form"].errors
        meeting.refresh_from_db()
        assert meeting.title != "改名" and meeting.decisions.count() == 1

    def test_a_member_of_another_district_cannot_attend(self, client_for, district_a, records):
        response = client_for(district_a).post("/creation/meetings/new/", {
            "org_unit": OrgUnit.objects.get(code="500103").pk, "title": "会", "held_on": "2026-01-05",
            "attendees": [records["member_500106"].pk]})
        assert response.status_code == 200 and "attendees" in response.context["form"].errors
        assert not JointMeeting.objects.filter(title="会").exists()

    def test_completing_needs_a_result(self, client_for, district_a, records):
        item = records["followup_500103"]
        response = client_for(district_a).post(f"/creation/follow-ups/{item.pk}/done/", {"result": " "})
        assert response.status_code == 200 and "result" in response.context["form"].errors
        item.refresh_from_db()
        assert item.status == "open"

    def test_a_department_sees_and_closes_only_its_own_items(self, client_for, city_admin, dept_ga, tree):
        city = OrgUnit.objects.get(level="city")
        members_from_departments(actor=city_admin, org_unit=city)
        ga = JointMeetingMember.objects.get(department__code="GA")
        jy = JointMeetingMember.objects.get(department__code="JY")
        meeting = meeting_save(actor=city_admin, org_unit=city, title="市联席会议", held_on=timezone.localdate(),
                               decisions=["整治交通隐患", "校园安全"])
        mine = follow_up_create(actor=city_admin, decision=meeting.decisions.get(number=1), task="交通整治",
                                owner=ga, due_on=timezone.localdate())
        theirs = follow_up_create(actor=city_admin, decision=meeting.decisions.get(number=2), task="校园排查",
                                  owner=jy, due_on=timezone.localdate())
        client = client_for(dept_ga)
        page = client.get("/creation/follow-ups/").content.decode()
        assert "交通整治" in page and "校园排查" not in page
        assert client.get(f"/creation/follow-ups/{theirs.pk}/done/").status_code == 404
        assert client.post(f"/creation/follow-ups/{mine.pk}/done/", {"result": "完成"}).status_code == 302


def test_the_overdue_filter_keeps_open_items_past_their_date(client_for, district_a, records):
    from safecommunity.creation.services import follow_up_create

    meeting = records["meeting_500103"]
    follow_up_create(actor=district_a, decision=meeting.decisions.get(), task="明年的事", owner=records["member_500103"],
                     due_on=date(2049, 1, 1))
    late = FollowUp.objects.filter(decision__meeting=meeting, task="报送方案").get()
    FollowUp.objects.filter(pk=late.pk).update(due_on=date(2020, 1, 1))
    page = client_for(district_a).get("/creation/follow-ups/?overdue=1")
    assert [f.task for f in page.context["object_list"]] == ["报送方案"]
    assert len(client_for(district_a).get("/creation/follow-ups/").context["object_list"]) == 2


def test_home_shows_this_years_plan_progress(client_for, district_a, unit_a, plan):

    assert "creation-plan-progress" in client_for(district_a).get("/").content.decode()
    assert "creation-plan-progress" not in client_for(unit_a).get("/").content.decode()


def test_titles_page_lists_expired_titles_for_re_evaluation(client_for, city_admin, district_a, district_b):
    from safecommunity.creation.services import creating_unit_transition

    u = bring_to("500103003", "applied", city=city_admin, on=date(2019, 5, 1))
    creating_unit_transition(unit=u, to="city", actor=city_admin, effective_on=date(2020, 1, 10))  # until 2023
    bring_to("500103001", "city", city=city_admin, on=timezone.localdate())
    page = client_for(district_a).get("/creation/titles/?validity=expired")
    assert [x.org_unit.code for x in page.context["object_list"]] == ["500103003"]
    assert "已到期" in page.content.decode()
    assert len(client_for(district_a).get("/creation/titles/").context["object_list"]) == 2
    assert len(client_for(district_b).get("/creation/titles/").context["object_list"]) == 0
    assert client_for(city_admin).get("/creation/titles/?export=xlsx").status_code == 200


def test_the_unit_and_the_owning_department_are_notified(client_for, city_admin, district_a, unit_a, dept_ga, tree):
    from safecommunity.core.models import Notification
    from safecommunity.creation.services import creating_units_launch

    creating_units_launch(units=[unit("500103003")], actor=district_a, launched_on=date(2026, 3, 1), plan_file=pdf())
    note = Notification.objects.get(user=unit_a)
    assert "解放碑街道已变更为“已启动”" in note.title and note.url == "/orgunits/500103003/"
    city = OrgUnit.objects.get(level="city")
    members_from_departments(actor=city_admin, org_unit=city)
    meeting = meeting_save(actor=city_admin, org_unit=city, title="市会", held_on=timezone.localdate(),
                           decisions=["交通"])
    follow_up_create(actor=city_admin, decision=meeting.decisions.get(), task="整治", due_on=timezone.localdate(),
                     owner=JointMeetingMember.objects.get(department__code="GA"))
    assert "整治" in Notification.objects.get(user=dept_ga).title


def test_the_org_unit_page_lists_its_letters(client_for, unit_a, district_a, records):
    letter_save(actor=district_a, year=2026, level="district_unit", org_unit=OrgUnit.objects.get(code="500103003"),
                targets="x", upper_signatory="a", lower_signatory="b", signed_on=date(2026, 1, 5))
    assert "creation-letters" in client_for(unit_a).get("/orgunits/500103003/").content.decode()
    assert "creation-letters" in client_for(district_a).get("/orgunits/500103/").content.decode()


def test_the_meeting_page_uses_the_words_of_meetings_and_follow_ups(client_for, district_a, records):
    """"Decision", "Summary", "In progress" and "Mark done" mean other things in evaluation and
    projects: here they carry a context and read 议定事项, 会议概要, 办理中, 办结."""
    page = client_for(district_a).get(f"/creation/meetings/{records['meeting_500103'].pk}/").content.decode()
    assert "议定事项" in page and "会议概要" in page and "办理中" in page and ">办结<" in page
    assert "审核意见" not in page and "概述" not in page and "实施中" not in page and "标记完成" not in page


def test_a_role_with_no_status_to_give_gets_403_not_a_server_error(client_for, unit_a):
    """GET used to crash (a form error added to an unbound form); found by the URL × role matrix."""
    for method in ("get", "post"):
        response = getattr(client_for(unit_a), method)("/creation/units/500103003/transition/")
        assert response.status_code == 403
