"""Supervision inspections: planning, the on-site record, follow-up items the unit sees in its
to-do list and closes, the ranking of open findings, and the year-end analysis meeting."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safecommunity.archive.models import Attachment
from safecommunity.core.todos import Todo
from safecommunity.inspections import evidence, obligations, services, todos
from safecommunity.inspections.models import Finding, FollowUpItem, Inspection, InspectionPlan, YearEndReview
from safecommunity.orgunits.models import CreatingUnit

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def plan(tree, district_a, unit_a, unit_a2):
    today = timezone.localdate()
    return services.plan_save(
        plan=InspectionPlan(org_unit=district_a.org_unit, title="督导检查", starts_on=today, ends_on=today + timedelta(30)),
        actor=district_a, custom_items=["机构健全", "台账完整", "演练开展"],
        units=[unit_a.org_unit, unit_a2.org_unit])


def record_form(plan, inspection, **extra):
    items = list(plan.items.all())
    today = timezone.localdate()
    due = (today + timedelta(days=20)).isoformat()
    data = {"inspected_on": today.isoformat(), "inspector": "张伟", "summary": "总体有序",
            f"result_{items[0].pk}": "ok",
            f"result_{items[1].pk}": "problem", f"note_{items[1].pk}": "台账缺3月以后记录", f"due_{items[1].pk}": due,
            f"result_{items[2].pk}": "problem", f"note_{items[2].pk}": "未开展演练", f"due_{items[2].pk}": due,
            f"photos_{items[2].pk}": SimpleUploadedFile("p.png", PNG, content_type="image/png")}
    data.update(extra)
    return data


def test_pages_are_scoped(plan, client_for, unit_a, unit_a2, district_a, district_b, dept_ga, city_admin):
    inspection = plan.inspections.get(org_unit=unit_a.org_unit)
    office = [f"/inspections/plans/{plan.pk}/", f"/inspections/plans/{plan.pk}/edit/",
              f"/inspections/{inspection.pk}/record/"]
    for url in office + ["/inspections/plans/", "/inspections/plans/new/", "/inspections/ranking/"]:
        assert client_for(district_a).get(url).status_code == 200, url
        assert client_for(city_admin).get(url).status_code == 200, url
        assert client_for(unit_a).get(url).status_code == 403, url
        assert client_for(dept_ga).get(url).status_code == 403, url
    for url in office:
        assert client_for(district_b).get(url).status_code == 404, url
    shared = [f"/inspections/{inspection.pk}/"]
    for url in shared + ["/inspections/", "/inspections/follow-ups/", "/inspections/year-end/"]:
        assert client_for(unit_a).get(url).status_code == 200, url
        assert client_for(dept_ga).get(url).status_code == 403, url
    for url in shared:
        assert client_for(district_b).get(url).status_code == 404, url
        assert client_for(unit_a2).get(url).status_code == 404, url


def test_an_inspection_with_two_findings_is_followed_up_to_closure(plan, client_for, unit_a, unit_a2, district_a,
                                                                  district_b, city_admin):
    inspection = plan.inspections.get(org_unit=unit_a.org_unit)
    # the inspector's to-do: record it
    assert [t.key for t in todos.todos(district_a)] == [f"inspections.record.{i.pk}" for i in
                                                         plan.inspections.order_by("scheduled_on", "pk")]
    # bad input: a problem without a deadline names the item and saves nothing
    items = list(plan.items.all())
    bad = client_for(district_a).post(f"/inspections/{inspection.pk}/record/",
                                      record_form(plan, inspection, **{f"due_{items[1].pk}": ""}))
    assert "第 2 项：请填写整改期限" in bad.content.decode() or "整改期限" in bad.content.decode()
    assert not Finding.objects.exists() and not FollowUpItem.objects.exists()
    ok = client_for(district_a).post(f"/inspections/{inspection.pk}/record/", record_form(plan, inspection))
    assert ok.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.RECORDED
    assert Finding.objects.filter(inspection=inspection).count() == 3
    followups = FollowUpItem.objects.filter(finding__inspection=inspection).order_by("pk")
    assert [f.task for f in followups] == ["台账缺3月以后记录", "未开展演练"]
    assert all(f.org_unit == unit_a.org_unit for f in followups)
    assert Attachment.objects.filter(object_id=followups[1].finding_id).count() == 1
    # the unit sees both in its to-do list; the neighbour unit sees none
    items = todos.todos(unit_a)
    assert all(isinstance(t, Todo) for t in items)
    assert [t.title for t in items] == ["台账缺3月以后记录", "未开展演练"]
    assert items[0].url == followups[0].get_absolute_url() and items[0].deadline == followups[0].due_on
    assert todos.todos(unit_a2) == []
    # the district's ranking shows the open findings; the city's, by district
    ranking = client_for(district_a).get("/inspections/ranking/").content.decode()
    assert "解放碑街道" in ranking
    from safecommunity.inspections.selectors import ranking as rank

    rows = rank(district_a, area=district_a.org_unit, year=timezone.localdate().year)["rows"]
    assert rows[0]["unit"] == unit_a.org_unit and rows[0]["open"] == 2 and rows[0]["problems"] == 2
    city = rank(city_admin, area=city_admin.org_unit, year=timezone.localdate().year)
    assert city["districts"][0]["unit"].code == "500103" and city["districts"][0]["open"] == 2
    assert rank(district_b, area=district_b.org_unit, year=timezone.localdate().year)["rows"] == []
    # closing: the reason is required; the neighbour unit cannot reach the item
    c = client_for(unit_a)
    assert client_for(unit_a2).post(f"/inspections/follow-ups/{followups[0].pk}/close/", {"result": "x"}).status_code == 404
    c.post(f"/inspections/follow-ups/{followups[0].pk}/close/", {"result": ""})
    assert FollowUpItem.objects.get(pk=followups[0].pk).status == "open"
    for f in followups:
        assert c.post(f"/inspections/follow-ups/{f.pk}/close/", {"result": "已整改", "closed_on": ""}).status_code == 302
    assert FollowUpItem.objects.filter(status="closed").count() == 2
    assert todos.todos(unit_a) == []
    rows = rank(district_a, area=district_a.org_unit, year=timezone.localdate().year)["rows"]
    assert rows[0]["open"] == 0 and rows[0]["closed"] == 2
    # the office may reopen a fix it finds insufficient
    client_for(district_a).post(f"/inspections/follow-ups/{followups[0].pk}/close/", {"reopen": "1", "note": "未补齐"})
    assert FollowUpItem.objects.get(pk=followups[0].pk).status == "open"
    # recorded once only
    again = client_for(district_a).post(f"/inspections/{inspection.pk}/record/", record_form(plan, inspection))
    assert "已经记录" in again.content.decode()


def test_a_plan_takes_its_checklist_from_a_scoring_scheme(tree, client_for, district_a, unit_a):
    from safecommunity.evaluation.models import Scheme

    scheme = Scheme.objects.filter(items__isnull=False).distinct().first()
    c = client_for(district_a)
    r = c.post("/inspections/plans/new/", {"title": "按评分标准检查", "starts_on": "2026-05-01", "ends_on": "2026-05-31",
                                           "scheme": scheme.pk, "units": [unit_a.org_unit.pk]})
    assert r.status_code == 302
    plan = InspectionPlan.objects.get(title="按评分标准检查")
    assert plan.items.count() == scheme.items.count()
    assert plan.inspections.get().org_unit == unit_a.org_unit
    # neither a scheme nor custom items: named, nothing saved
    bad = c.post("/inspections/plans/new/", {"title": "空", "starts_on": "2026-05-01", "ends_on": "2026-05-31"})
    assert "请选择评分标准或填写检查项目" in bad.content.decode()
    assert not InspectionPlan.objects.filter(title="空").exists()


def test_the_year_end_meeting(tree, client_for, unit_a, unit_a2, district_b):
    c = client_for(unit_a)
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    r = c.post("/inspections/year-end/new/", {
        "year": 2025, "held_on": "2025-12-20", "chair": "王主任", "attendees": "创建委员会成员",
        "review": "全年完成安全促进项目6个", "problems": "老年人跌倒项目覆盖不足\n应急演练次数不够",
        "next_targets": "知晓率达到85%", "measures": "增加入户宣传", "follow_up_due_on": due})
    assert r.status_code == 302
    review = YearEndReview.objects.get()
    assert review.org_unit == unit_a.org_unit
    assert list(review.follow_ups.values_list("task", flat=True)) == ["老年人跌倒项目覆盖不足", "应急演练次数不够"]
    page = c.get(review.get_absolute_url())
    assert page.status_code == 200 and "review-targets" in page.content.decode()
    assert client_for(district_b).get(review.get_absolute_url()).status_code == 404
    assert client_for(unit_a2).get(review.get_absolute_url()).status_code == 404
    # one a year per unit
    dup = c.post("/inspections/year-end/new/", {"year": 2025, "held_on": "2025-12-21", "chair": "x", "review": "x",
                                                "next_targets": "x", "measures": "x"})
    assert dup.status_code == 200 and YearEndReview.objects.count() == 1
    cu = CreatingUnit.objects.get(org_unit=unit_a.org_unit)
    assert obligations.count_reviews(creating_unit_ids=[cu.pk], year=2025) == {cu.pk: 1}
    items = evidence.evidence(creating_unit=cu, element="E12", year=2025)
    assert items[0]["url"] == review.get_absolute_url()
    assert items[0]["value"] == "2025-12-20 召开；发现问题 2 个，已整改 0 个"
    assert evidence.evidence(creating_unit=cu, element="E03") == []
    assert {t.title for t in todos.todos(unit_a)} == {"老年人跌倒项目覆盖不足", "应急演练次数不够"}


def test_evidence_lists_recorded_inspections(plan, district_a, unit_a):
    inspection = plan.inspections.get(org_unit=unit_a.org_unit)
    items = list(plan.items.all())
    services.inspection_record(inspection=inspection, actor=district_a, inspected_on=date.today(), results=[
        services.ItemResult(item=items[0], result=Finding.Result.PROBLEM, note="缺台账",
                            due_on=date.today() + timedelta(days=5))])
    cu = CreatingUnit.objects.get(org_unit=unit_a.org_unit)
    (item,) = evidence.evidence(creating_unit=cu, element="E12")
    assert item["url"] == inspection.get_absolute_url()


def test_api_is_scoped(plan, api_client_for, unit_a, district_b, dept_ga):
    inspection = plan.inspections.get(org_unit=unit_a.org_unit)
    assert api_client_for(unit_a).get(f"/api/v1/inspections/{inspection.pk}/").status_code == 200
    assert api_client_for(district_b).get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    assert api_client_for(dept_ga).get("/api/v1/inspection-follow-ups/").status_code == 403
