"""The hazard loop: every transition, every refusal, and that a refusal writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.accounts.tests.factories import UserFactory
from safecommunity.core.models import Notification
from safecommunity.hazards import services
from safecommunity.hazards.choices import PHOTO_AFTER, PHOTO_BEFORE, Action, Status
from safecommunity.hazards.models import GradeDeadline, Hazard, HazardStep
from safecommunity.hazards.tests.factories import csv_file, photo, report, unit
from safecommunity.orgunits.models import Department

pytestmark = pytest.mark.django_db


def test_a_unit_reports_a_hazard_with_photos_and_the_district_is_told(unit_a, district_a):
    hazard = report(unit_a, photos=[photo("before.png")])
    assert hazard.status == Status.REPORTED
    assert hazard.created_by == unit_a
    assert services.hazard_photos(hazard, PHOTO_BEFORE).count() == 1
    assert list(hazard.steps.values_list("action", flat=True)) == [Action.REPORT]
    assert Notification.objects.filter(user=district_a, url=hazard.get_absolute_url()).count() == 1


def test_reporting_outside_scope_is_refused_and_writes_nothing(unit_a):
    with pytest.raises(PermissionDenied):
        report(unit_a, code="500106001")
    assert not Hazard.objects.exists()


def test_reporting_for_a_district_is_refused_naming_the_unit(district_a):
    with pytest.raises(ValidationError) as exc:
        report(district_a, code="500103")
    assert "org_unit" in exc.value.message_dict
    assert not Hazard.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_and_no_hazard_is_written(unit_a):
    with pytest.raises(ValidationError) as exc:
        report(unit_a, photos=[csv_file()])
    assert "photos" in exc.value.message_dict
    assert not Hazard.objects.exists()


def test_a_future_date_found_is_refused(unit_a):
    from safecommunity.hazards.services import local_today

    with pytest.raises(ValidationError) as exc:
        report(unit_a, found_on=local_today() + timedelta(days=1))
    assert "found_on" in exc.value.message_dict


def test_assign_uses_the_grade_default_deadline_which_is_data(hazard, district_a, unit_a):
    today = services.local_today()
    h = services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=unit("500103003"))
    assert h.status == Status.ASSIGNED and h.deadline == today + timedelta(days=15)
    GradeDeadline.objects.filter(grade="major").update(days=30)
    major = report(unit_a, grade="major")
    major = services.hazard_assign(hazard=major, actor=district_a, responsible_unit=unit("500103003"))
    assert major.deadline == today + timedelta(days=30)


def test_assign_tells_the_responsible_unit_and_the_department(hazard, district_a, unit_a, dept_ga):
    ga = Department.objects.get(code="GA")
    services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=unit("500103003"), department=ga,
                           responsible_party="解放碑商业管理公司")
    assert Notification.objects.filter(user=unit_a, key=f"hazard-assigned:{hazard.pk}").exists()
    assert Notification.objects.filter(user=dept_ga).count() == 1


def test_an_assignee_outside_scope_is_refused(hazard, district_a):
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=unit("500106001"))
    assert "responsible_unit" in exc.value.message_dict
    hazard.refresh_from_db()
    assert hazard.status == Status.REPORTED and hazard.responsible_unit is None
    assert hazard.steps.count() == 1


def test_the_city_cannot_assign_to_another_district_than_the_hazards(hazard, city_admin):
    with pytest.raises(ValidationError):
        services.hazard_assign(hazard=hazard, actor=city_admin, responsible_unit=unit("500106001"))


def test_a_unit_cannot_assign(hazard, unit_a):
    with pytest.raises(PermissionDenied):
        services.hazard_assign(hazard=hazard, actor=unit_a, responsible_unit=unit("500103003"))


def test_a_deadline_in_the_past_is_refused(hazard, district_a):
    with pytest.raises(ValidationError) as exc:
        services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=unit("500103003"),
                               deadline=services.local_today() - timedelta(days=1))
    assert "deadline" in exc.value.message_dict


def test_the_whole_loop_records_who_when_measures_and_cost(hazard, run_loop, district_a, unit_a):
    hazard = run_loop(hazard, "closed")
    assert hazard.status == Status.CLOSED
    assert hazard.closed_on == services.local_today()
    steps = list(hazard.steps.order_by("at", "pk"))
    assert [s.action for s in steps] == [Action.REPORT, Action.ASSIGN, Action.START, Action.SUBMIT, Action.ACCEPT]
    assert [s.actor for s in steps] == [unit_a, district_a, unit_a, unit_a, district_a]
    submit = steps[3]
    assert submit.measures == "清理杂物，设置警示标志" and submit.cost == Decimal("1200")
    assert submit.from_status == Status.RECTIFYING and submit.to_status == Status.AWAITING
    assert services.hazard_photos(hazard, PHOTO_AFTER).count() == 1


def test_returned_from_acceptance_goes_back_to_rectifying_and_round_again(hazard, run_loop, district_a, unit_a):
    hazard = run_loop(hazard, "awaiting")
    with pytest.raises(ValidationError) as exc:
        services.hazard_return(hazard=hazard, actor=district_a, note="  ")
    assert "note" in exc.value.message_dict
    hazard = services.hazard_return(hazard=hazard, actor=district_a, note="警示标志缺失")
    assert hazard.status == Status.RECTIFYING
    assert Notification.objects.filter(user=unit_a, key__startswith=f"hazard-returned:{hazard.pk}").count() == 1
    with pytest.raises(ValidationError) as exc:  # a new submission brings new photos
        services.hazard_submit(hazard=hazard, actor=unit_a, measures="补设警示标志")
    assert "photos" in exc.value.message_dict
    hazard = services.hazard_submit(hazard=hazard, actor=unit_a, measures="补设警示标志", photos=[photo("b.png")])
    hazard = services.hazard_accept(hazard=hazard, actor=district_a)
    assert hazard.status == Status.CLOSED
    submits = hazard.steps.filter(action=Action.SUBMIT).order_by("pk")
    assert [[p.original_name for p in s.photos.all()] for s in submits] == [["after.png"], ["b.png"]]


def test_a_hazard_cannot_be_closed_without_acceptance(hazard, run_loop, district_a):
    hazard = run_loop(hazard, "rectifying")
    with pytest.raises(ValidationError) as exc:
        services.hazard_transition(hazard=hazard, to=Status.CLOSED, actor=district_a)
    assert "acceptance" in str(exc.value) or "验收" in str(exc.value)
    with pytest.raises(ValidationError):
        services.hazard_accept(hazard=hazard, actor=district_a)
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING and hazard.closed_on is None


def test_submitting_needs_measures_and_photos_after(hazard, run_loop, unit_a):
    hazard = run_loop(hazard, "rectifying")
    with pytest.raises(ValidationError) as exc:
        services.hazard_submit(hazard=hazard, actor=unit_a, measures="已整改")
    assert "photos" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.hazard_submit(hazard=hazard, actor=unit_a, measures=" ", photos=[photo()])
    assert "measures" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.hazard_submit(hazard=hazard, actor=unit_a, measures="x", cost=Decimal("-1"), photos=[photo()])
    assert "cost" in exc.value.message_dict
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING
    assert not services.hazard_photos(hazard, PHOTO_AFTER).exists()


def test_a_hazard_cannot_be_closed_without_photos_after(hazard, run_loop, district_a):
    hazard = run_loop(hazard, "awaiting")
    services.hazard_photos(hazard, PHOTO_AFTER).delete()
    with pytest.raises(ValidationError) as exc:
        services.hazard_accept(hazard=hazard, actor=district_a)
    assert "photos" in exc.value.message_dict
    hazard.refresh_from_db()
    assert hazard.status == Status.AWAITING


def test_a_unit_cannot_accept_its_own_hazard(hazard, run_loop, unit_a):
    hazard = run_loop(hazard, "awaiting")
    with pytest.raises(PermissionDenied) as exc:
        services.hazard_accept(hazard=hazard, actor=unit_a)
    assert "不能验收" in str(exc.value) or "cannot accept" in str(exc.value)
    hazard.refresh_from_db()
    assert hazard.status == Status.AWAITING


def test_another_unit_cannot_rectify(hazard, run_loop, unit_a2, unit_b):
    hazard = run_loop(hazard, "assigned")
    for other in (unit_a2, unit_b):
        with pytest.raises(PermissionDenied):
            services.hazard_start(hazard=hazard, actor=other)


def test_another_district_cannot_act(hazard, run_loop, district_b):
    hazard = run_loop(hazard, "awaiting")
    with pytest.raises(PermissionDenied):
        services.hazard_accept(hazard=hazard, actor=district_b)


def test_the_supervising_department_may_accept_another_may_not(hazard, run_loop, dept_ga, tree):
    hazard = run_loop(hazard, "awaiting", department=Department.objects.get(code="GA"))
    zj = UserFactory(username="dept_zj", role="department", code="ZJ")
    with pytest.raises(PermissionDenied):
        services.hazard_accept(hazard=hazard, actor=zj)
    assert services.hazard_accept(hazard=hazard, actor=dept_ga).status == Status.CLOSED


def test_the_responsible_unit_sees_and_rectifies_a_hazard_reported_elsewhere(unit_a2, unit_a, district_a):
    hazard = report(unit_a2, code="500103001")
    assert not Hazard.objects.visible_to(unit_a).filter(pk=hazard.pk).exists()
    services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=unit("500103003"))
    assert Hazard.objects.visible_to(unit_a).filter(pk=hazard.pk).exists()
    assert services.hazard_start(hazard=hazard, actor=unit_a).status == Status.RECTIFYING


def _kwargs(to, district_a, unit_a):
    if to == Status.ASSIGNED:
        return district_a, {"responsible_unit": unit("500103003")}
    if to == Status.AWAITING:
        return unit_a, {"measures": "已整改", "photos": [photo()]}
    if to == Status.RECTIFYING:
        return None, {"note": "不合格"}
    return district_a, {}


STATUSES = list(Status.values)
ORDER = ["reported", "assigned", "rectifying", "awaiting", "closed"]


@pytest.mark.parametrize("frm", STATUSES)
@pytest.mark.parametrize("to", STATUSES)
def test_every_move_of_the_table_works_and_every_other_is_refused(frm, to, unit_a, district_a, run_loop):
    hazard = report(unit_a)
    if frm != Status.REPORTED:
        hazard = run_loop(hazard, frm)
    actor, kwargs = _kwargs(to, district_a, unit_a)
    if to == Status.RECTIFYING:
        actor = district_a if frm == Status.AWAITING else unit_a
        if frm != Status.AWAITING:
            kwargs = {}
    if to in services.TRANSITIONS[frm]:
        assert services.hazard_transition(hazard=hazard, to=to, actor=actor, **kwargs).status == to
    else:
        steps = hazard.steps.count()
        with pytest.raises(ValidationError):
            services.hazard_transition(hazard=hazard, to=to, actor=actor, **kwargs)
        hazard.refresh_from_db()
        assert hazard.status == frm and hazard.steps.count() == steps


def test_supervision_is_for_major_hazards_by_the_city(unit_a, district_a, city_admin, run_loop):
    general = report(unit_a)
    with pytest.raises(ValidationError):
        services.hazard_supervise(hazard=general, actor=city_admin, supervisor="市安委办 张主任")
    major = report(unit_a, grade="major")
    with pytest.raises(PermissionDenied):
        services.hazard_supervise(hazard=major, actor=district_a, supervisor="李科长")
    with pytest.raises(ValidationError) as exc:
        services.hazard_supervise(hazard=major, actor=city_admin, supervisor="")
    assert "supervisor" in exc.value.message_dict
    major = services.hazard_supervise(hazard=major, actor=city_admin, supervisor="市安委办 张主任")
    assert major.is_supervised and major.supervisor == "市安委办 张主任"
    assert major.steps.filter(action=Action.SUPERVISE).exists()
    assert Notification.objects.filter(user=district_a, key=f"hazard-supervised:{major.pk}").exists()


def test_the_deadline_can_be_changed_with_a_reason(hazard, run_loop, district_a, unit_a):
    hazard = run_loop(hazard, "rectifying")
    new = services.local_today() + timedelta(days=60)
    with pytest.raises(ValidationError) as exc:
        services.hazard_set_deadline(hazard=hazard, actor=district_a, deadline=new, note="")
    assert "note" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.hazard_set_deadline(hazard=hazard, actor=unit_a, deadline=new, note="申请延期")
    hazard = services.hazard_set_deadline(hazard=hazard, actor=district_a, deadline=new, note="需停业整改")
    assert hazard.deadline == new
    assert HazardStep.objects.filter(hazard=hazard, action=Action.DEADLINE).count() == 1
    assert Notification.objects.filter(user=unit_a, key=f"hazard-deadline:{hazard.pk}:{new.isoformat()}").exists()


def test_comments_by_a_department_in_its_domain(hazard, dept_ga, tree):
    step = services.hazard_comment(hazard=hazard, actor=dept_ga, note="请加强夜间巡查")  # fire: 公安's domain
    assert step.action == Action.COMMENT
    ws = UserFactory(username="dept_ws", role="department", code="WS")
    with pytest.raises(PermissionDenied):
        services.hazard_comment(hazard=hazard, actor=ws, note="x")


def test_allowed_actions_follow_role_and_status(hazard, run_loop, unit_a, district_a, city_admin):
    assert services.allowed_actions(unit_a, hazard) == []
    assert services.allowed_actions(district_a, hazard) == [Action.ASSIGN]
    hazard = run_loop(hazard, "awaiting")
    assert services.allowed_actions(unit_a, hazard) == []
    assert set(services.allowed_actions(district_a, hazard)) == {Action.ACCEPT, Action.RETURN, Action.DEADLINE}


def test_whoever_submitted_the_rectification_cannot_accept_it(hazard, run_loop, district_a, city_admin):
    hazard = run_loop(hazard, "rectifying")
    services.hazard_submit(hazard=hazard, actor=district_a, measures="区安委办代为整改", photos=[photo()])
    assert Action.ACCEPT not in services.allowed_actions(district_a, hazard)
    with pytest.raises(PermissionDenied):
        services.hazard_accept(hazard=hazard, actor=district_a)
    assert services.hazard_accept(hazard=hazard, actor=city_admin).status == Status.CLOSED
