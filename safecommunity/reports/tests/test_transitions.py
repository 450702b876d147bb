"""Every entry of the transitions table: the right role moves the report to the right state and
writes a step; every other role is refused and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.reports import services
from safecommunity.reports.models import MonthlyReport, UnlockRequest

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _act(action, report, actor):
    if action == "submit":
        return services.monthly_report_submit(report=report, actor=actor)
    if action in ("district_approve", "city_approve"):
        return services.monthly_report_approve(report=report, actor=actor)
    if action == "return":
        return services.monthly_report_return(report=report, actor=actor, reason="请修改")
    if action == "unlock_grant":
        req = UnlockRequest.objects.get_or_create(report=report, status="pending",
                                                  defaults={"reason": "录错", "requested_at": services.now()})[0]
        services.unlock_request_decide(request=req, actor=actor, grant=True)
        return MonthlyReport.objects.get(pk=report.pk)
    raise AssertionError(action)


@pytest.mark.parametrize("key", sorted(services.TRANSITIONS), ids=lambda k: "-".join(k))
def test_each_transition_for_the_right_role_only(key, officers, records, tree, unit_a, district_a, city_admin):
    kind, action, from_status = key
    to_status, roles = services.TRANSITIONS[key]
    org_unit = unit_a.org_unit if kind == "unit" else tree["500103"]
    report = MonthlyReport.objects.create(
        org_unit=org_unit, district=tree["500103"], kind=kind, period=PERIOD, status=from_status,
        figures=services.report_current_figures(MonthlyReport(org_unit=org_unit, district=tree["500103"], kind=kind,
                                                              period=PERIOD)),
        work_done="工作", signed_by=officers["500103003" if kind == "unit" else "500103"], version=1)
    actors = {"unit": unit_a, "district": district_a, "city": city_admin}
    for role, actor in actors.items():
        if role in roles:
            continue
        with pytest.raises((PermissionDenied, ValidationError)):
            _act(action, report, actor)
        report.refresh_from_db()
        assert report.status == from_status, role
    (right,) = [actors[r] for r in roles]
    report = _act(action, report, right)
    report.refresh_from_db()
    assert report.status == to_status
    step = report.steps.get(action=action)
    assert (step.from_status, step.to_status, step.actor) == (from_status, to_status, right)


def test_states_outside_the_table_are_refused_with_a_message(draft, submitted, district_a, city_admin, unit_a):
    with pytest.raises(ValidationError):
        services.monthly_report_submit(report=submitted, actor=unit_a)  # already submitted
    services.monthly_report_return(report=submitted, actor=district_a, reason="改")
    returned = MonthlyReport.objects.get(pk=submitted.pk)
    with pytest.raises(ValidationError, match="不能"):
        services.monthly_report_approve(report=returned, actor=district_a)
    with pytest.raises(ValidationError, match="不能"):
        services.monthly_report_return(report=returned, actor=district_a, reason="再退")
    assert MonthlyReport.objects.get(pk=submitted.pk).status == "returned"
