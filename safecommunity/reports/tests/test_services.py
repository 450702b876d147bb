from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.core.models import Notification
from safecommunity.reports import services
from safecommunity.reports.models import MonthlyReport, ReportComment, ReportStep, UnlockRequest
from safecommunity.reports.selectors import report_diff, report_reconcile
from safecommunity.reports.services import (
    monthly_report_approve,
    monthly_report_bulk_approve,
    monthly_report_create,
    monthly_report_refresh_figures,
    monthly_report_return,
    monthly_report_submit,
    monthly_report_update,
    unlock_request_create,
    unlock_request_decide,
)

from .conftest import PERIOD

S = MonthlyReport.Status
pytestmark = pytest.mark.django_db


def test_a_draft_is_prefilled_from_the_records_of_the_month(draft):
    assert draft.status == S.DRAFT
    assert draft.figures == {"launched": 1, "trainings": 2, "hazards_found": 5}
    assert draft.signed_by.name == "信息员003"
    assert draft.steps.get().action == ReportStep.Action.CREATE


def test_a_unit_that_has_not_launched_has_no_report_to_write(launched, records, tree):
    from safecommunity.accounts.tests.factories import UserFactory

    other = UserFactory(username="u_other", role="unit", code="500103004")
    with pytest.raises(ValidationError) as exc:
        monthly_report_create(org_unit=other.org_unit, period=PERIOD, actor=other)
    assert "period" in exc.value.message_dict
    assert not MonthlyReport.objects.exists()


def test_creation_refuses_duplicates_future_months_other_units_and_other_roles(draft, unit_a, unit_b, district_a):
    with pytest.raises(ValidationError, match="已存在|already exists"):
        monthly_report_create(org_unit=unit_a.org_unit, period=PERIOD, actor=unit_a)
    with pytest.raises(ValidationError):
        monthly_report_create(org_unit=unit_a.org_unit, period=date(2099, 1, 1), actor=unit_a)
    with pytest.raises(PermissionDenied):
        monthly_report_create(org_unit=unit_a.org_unit, period=date(2026, 4, 1), actor=unit_b)
    with pytest.raises(PermissionDenied):
        monthly_report_create(org_unit=unit_a.org_unit, period=date(2026, 4, 1), actor=district_a)
    assert MonthlyReport.objects.count() == 1


def test_submission_needs_a_signing_officer_and_the_work_done(draft, unit_a):
    draft.signed_by = None
    draft.save(update_fields=["signed_by"])
    with pytest.raises(ValidationError) as exc:
        monthly_report_submit(report=draft, actor=unit_a)
    assert {"signed_by", "work_done"} <= set(exc.value.message_dict)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.version == 0 and not draft.versions.exists()


def test_a_nil_report_is_submitted_without_narrative(draft, unit_a):
    monthly_report_update(report=draft, actor=unit_a, is_nil=True)
    report = monthly_report_submit(report=draft, actor=unit_a)
    assert report.status == S.SUBMITTED and report.is_nil
    assert report.versions.get().is_nil


def test_full_path_submit_district_approval_city_approval_locks(submitted, unit_a, district_a, city_admin):
    assert submitted.status == S.SUBMITTED and submitted.version == 1
    assert submitted.first_submitted_at is not None
    with pytest.raises(PermissionDenied):  # the city acts after the district
        monthly_report_approve(report=submitted, actor=city_admin)
    report = monthly_report_approve(report=submitted, actor=district_a)
    assert report.status == S.DISTRICT_APPROVED and report.is_locked
    report = monthly_report_approve(report=report, actor=city_admin)
    assert report.status == S.APPROVED
    actions = list(report.steps.values_list("action", "actor__username"))
    assert actions == [("create", "unit_a"), ("submit", "unit_a"), ("district_approve", "district_a"),
                       ("city_approve", "city_admin")]
    with pytest.raises(ValidationError, match="锁定|locked"):
        monthly_report_update(report=report, actor=unit_a, work_done="改一下")
    with pytest.raises(ValidationError):
        monthly_report_refresh_figures(report=report, actor=unit_a)
    report.refresh_from_db()
    assert report.work_done == "开展消防宣传两次"


def test_a_submitted_report_cannot_be_edited_by_the_unit(submitted, unit_a):
    with pytest.raises(ValidationError):
        monthly_report_update(report=submitted, actor=unit_a, problems="x")


def test_nobody_approves_their_own_report(officers, records, tree, django_user_model):
    boss = django_user_model.objects.create_superuser("root", "r@example.org", "x", org_unit=tree["500103003"],
                                                      role="unit")
    report = monthly_report_create(org_unit=tree["500103003"], period=PERIOD, actor=boss)
    monthly_report_update(report=report, actor=boss, work_done="做了工作")
    monthly_report_submit(report=report, actor=boss)
    with pytest.raises(PermissionDenied, match="自己|own"):
        monthly_report_approve(report=report, actor=boss)
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_nobody_approves_out_of_scope_or_with_the_wrong_role(submitted, district_b, unit_a2, dept_ga):
    for actor in (district_b, unit_a2, dept_ga):
        with pytest.raises(PermissionDenied):
            monthly_report_approve(report=submitted, actor=actor)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert submitted.steps.count() == 2


def test_returning_requires_a_reason_and_notifies_the_unit(submitted, district_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        monthly_report_return(report=submitted, actor=district_a, reason="  ")
    assert "reason" in exc.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    monthly_report_return(report=submitted, actor=district_a, reason="培训人数不对",
                          comments={"work_done": "请写明参加人数", "figures.trainings": "核对", "problems": ""})
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    assert set(ReportComment.objects.values_list("field", flat=True)) == {"work_done", "figures.trainings"}
    note = Notification.objects.get(user=unit_a)
    assert "退回" in note.title or "returned" in note.title
    assert note.url == submitted.get_absolute_url()


def test_returning_with_an_unknown_field_comment_changes_nothing(submitted, district_a):
    with pytest.raises(ValidationError):
        monthly_report_return(report=submitted, actor=district_a, reason="x", comments={"bogus": "y"})
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and not ReportComment.objects.exists()


def test_the_city_can_return_a_district_approved_report(submitted, district_a, city_admin, unit_a):
    monthly_report_approve(report=submitted, actor=district_a)
    monthly_report_return(report=submitted, actor=city_admin, reason="请补充问题")
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    # and the unit can then edit and resubmit
    monthly_report_update(report=submitted, actor=unit_a, problems="补充了问题")
    assert monthly_report_submit(report=submitted, actor=unit_a).status == S.SUBMITTED


def test_resubmission_keeps_versions_and_shows_what_changed(submitted, district_a, unit_a, records):
    assert report_diff(submitted) is None
    monthly_report_return(report=submitted, actor=district_a, reason="补充")
    records.set(unit_a.org_unit, trainings=3)
    monthly_report_update(report=submitted, actor=unit_a, work_done="开展消防宣传三次")
    report = monthly_report_submit(report=submitted, actor=unit_a)
    assert report.version == 2 and report.versions.count() == 2
    assert report.first_submitted_at < report.submitted_at
    diff = report_diff(report)
    changed = {c["field"]: (c["old"], c["new"]) for c in diff["changes"]}
    assert changed == {"work_done": ("开展消防宣传两次", "开展消防宣传三次"), "figures.trainings": (2, 3)}


def test_reconciliation_flags_a_record_edited_after_submission(submitted, district_a, records, unit_a):
    assert report_reconcile(submitted) == []
    records.set(unit_a.org_unit, hazards_found=7)  # someone edits a hazard record afterwards
    diff = report_reconcile(submitted)
    assert [(d["key"], d["reported"], d["current"], d["delta"]) for d in diff] == [("hazards_found", 5, 7, 2)]
    with pytest.raises(ValidationError) as exc:
        monthly_report_approve(report=submitted, actor=district_a)
    assert "note" in exc.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    monthly_report_approve(report=submitted, actor=district_a, note="补录的隐患属于下月")
    step = submitted.steps.get(action="district_approve")
    assert step.note == "补录的隐患属于下月"
    assert submitted.figures["hazards_found"] == 5  # the snapshot stays as submitted


def test_unlock_request_granted_by_the_approver(submitted, district_a, unit_a, city_admin):
    monthly_report_approve(report=submitted, actor=district_a)
    with pytest.raises(ValidationError):
        unlock_request_create(report=submitted, actor=unit_a, reason="")
    req = unlock_request_create(report=submitted, actor=unit_a, reason="培训数据录错")
    with pytest.raises(ValidationError):  # one pending request at a time
        unlock_request_create(report=submitted, actor=unit_a, reason="again")
    with pytest.raises(PermissionDenied):  # the unit cannot unlock itself
        unlock_request_decide(request=req, actor=unit_a, grant=True)
    with pytest.raises(PermissionDenied):  # the city did not approve it yet: the district decides
        unlock_request_decide(request=req, actor=city_admin, grant=True)
    unlock_request_decide(request=req, actor=district_a, grant=True, note="同意")
    submitted.refresh_from_db()
    req.refresh_from_db()
    assert submitted.status == S.DRAFT and req.status == UnlockRequest.Status.GRANTED
    assert Notification.objects.filter(user=unit_a, key=f"reports:unlock-decided:{req.pk}").exists()
    monthly_report_update(report=submitted, actor=unit_a, work_done="改正后")


def test_unlock_refusal_needs_a_reason_and_keeps_the_lock(submitted, district_a, city_admin, unit_a):
    monthly_report_approve(report=submitted, actor=district_a)
    monthly_report_approve(report=submitted, actor=city_admin)
    req = unlock_request_create(report=submitted, actor=unit_a, reason="想改")
    with pytest.raises(PermissionDenied):  # city-approved: only the city decides
        unlock_request_decide(request=req, actor=district_a, grant=False, note="不同意")
    with pytest.raises(ValidationError):
        unlock_request_decide(request=req, actor=city_admin, grant=False, note="")
    unlock_request_decide(request=req, actor=city_admin, grant=False, note="数据已上报省里")
    submitted.refresh_from_db()
    assert submitted.status == S.APPROVED
    assert submitted.steps.filter(action="unlock_refuse").exists()


def test_unlock_of_a_report_that_is_not_approved_is_refused(submitted, unit_a):
    with pytest.raises(ValidationError):
        unlock_request_create(report=submitted, actor=unit_a, reason="x")


def test_bulk_approval_approves_the_clean_ones_and_logs_each(officers, records, tree, unit_a, unit_a2, district_a):
    reports = []
    for user in (unit_a, unit_a2):
        r = monthly_report_create(org_unit=user.org_unit, period=PERIOD, actor=user)
        monthly_report_update(report=r, actor=user, is_nil=True)
        reports.append(monthly_report_submit(report=r, actor=user))
    records.set(unit_a2.org_unit, trainings=1)  # 七星岗's records changed: not clean
    approved, skipped = monthly_report_bulk_approve(reports=reports, actor=district_a)
    assert [r.pk for r in approved] == [reports[0].pk]
    assert [r.pk for r, _reason in skipped] == [reports[1].pk]
    step = ReportStep.objects.get(action="district_approve")
    assert step.batch and step.report_id == reports[0].pk


def test_district_summary_aggregates_approved_unit_reports_and_goes_to_the_city(
        officers, records, tree, unit_a, unit_a2, district_a, city_admin):
    for user, n in ((unit_a, 2), (unit_a2, 3)):
        records.set(user.org_unit, trainings=n)
        r = monthly_report_create(org_unit=user.org_unit, period=PERIOD, actor=user)
        monthly_report_update(report=r, actor=user, work_done="工作")
        monthly_report_submit(report=r, actor=user)
        if user == unit_a:
            monthly_report_approve(report=r, actor=district_a)
    summary = monthly_report_create(org_unit=tree["500103"], period=PERIOD, actor=district_a)
    assert summary.kind == MonthlyReport.Kind.DISTRICT
    assert summary.figures["trainings"] == 2  # only the approved unit report
    assert summary.figures["units_expected"] == 2 and summary.figures["unit_reports_approved"] == 1
    monthly_report_update(report=summary, actor=district_a, work_done="区级培训一次")
    monthly_report_submit(report=summary, actor=district_a)
    with pytest.raises(PermissionDenied):
        monthly_report_approve(report=summary, actor=district_a)
    # a second unit report gets approved after the summary went up: the city sees the difference
    monthly_report_approve(report=MonthlyReport.objects.get(org_unit=unit_a2.org_unit), actor=district_a)
    diff = report_reconcile(summary)
    assert {d["key"] for d in diff} == {"launched", "trainings", "unit_reports_approved"}
    with pytest.raises(ValidationError):
        monthly_report_approve(report=summary, actor=city_admin)
    monthly_report_return(report=summary, actor=city_admin, reason="请更新汇总")
    summary = monthly_report_submit(report=summary, actor=district_a)
    assert summary.figures["trainings"] == 5
    assert monthly_report_approve(report=summary, actor=city_admin).status == S.APPROVED


def test_drafts_are_built_in_bulk_for_every_expected_unit(officers, records, tree):
    assert services.monthly_report_drafts_build(period=PERIOD) == 3
    assert services.monthly_report_drafts_build(period=PERIOD) == 0
    assert set(MonthlyReport.objects.values_list("org_unit__code", flat=True)) == {
        "500103003", "500103001", "500106001"}
    r = MonthlyReport.objects.get(org_unit__code="500103003")
    assert r.figures == {"launched": 1, "trainings": 0, "hazards_found": 0}
    assert r.signed_by.name == "信息员003"
    assert ReportStep.objects.filter(action="create").count() == 3


def test_submission_time_is_recorded_for_timeliness(draft, unit_a, monkeypatch):
    from zoneinfo import ZoneInfo

    at = datetime(2026, 4, 5, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(services, "now", lambda: at)
    monthly_report_update(report=draft, actor=unit_a, is_nil=True)
    report = monthly_report_submit(report=draft, actor=unit_a)
    assert report.first_submitted_at == at
