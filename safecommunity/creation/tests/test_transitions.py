"""Every legal and illegal transition of the lifecycle, by state, role and scope."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecommunity.creation.models import CreationTransition
from safecommunity.creation.services import (
    ROLES_FOR,
    TRANSITIONS,
    allowed_targets,
    creating_unit_transition,
    creating_unit_transition_with_file,
    creating_units_launch,
)
from safecommunity.orgunits.models import CreatingUnit

from .conftest import pdf, unit
from .factories import bring_to

STATUSES = list(CreatingUnit.Status.values)
LEGAL = [(a, b) for a in STATUSES for b in STATUSES if b in TRANSITIONS.get(a, set())]
ILLEGAL = [(a, b) for a in STATUSES for b in STATUSES if b not in TRANSITIONS.get(a, set()) and a != b]


@pytest.mark.parametrize("current, target", LEGAL)
def test_every_legal_transition_is_recorded(city_admin, current, target):
    u = bring_to("500103003", current, city=city_admin)
    before = CreationTransition.objects.count()
    t = creating_unit_transition(unit=u, to=target, actor=city_admin, reason="依据决定", effective_on=date(2025, 6, 1))
    u.refresh_from_db()
    assert u.status == target
    assert (t.from_status, t.to_status, t.actor, t.effective_on) == (current, target, city_admin, date(2025, 6, 1))
    assert CreationTransition.objects.count() == before + 1


@pytest.mark.parametrize("current, target", ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(city_admin, current, target):
    u = bring_to("500103003", current, city=city_admin)
    before = CreationTransition.objects.count()
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition(unit=u, to=target, actor=city_admin, reason="x")
    assert "不能变为" in " ".join(exc.value.messages)
    u.refresh_from_db()
    assert u.status == current and CreationTransition.objects.count() == before


ROLE_CASES = [
    (target, role) for target in ROLES_FOR for role in ("city", "district", "unit", "department", "expert", "sysadmin")
]


@pytest.mark.parametrize("target, role", ROLE_CASES)
def test_only_the_roles_of_the_table_may_set_each_status(request, city_admin, target, role):
    actor = request.getfixturevalue({"city": "city_admin", "district": "district_a", "unit": "unit_a",
                                     "department": "dept_ga", "expert": "expert", "sysadmin": "sysadmin"}[role])
    current = next(a for a, b in LEGAL if b == target)
    u = bring_to("500103003", current, city=city_admin)
    call = lambda: creating_unit_transition(unit=u, to=target, actor=actor, reason="理由")  # noqa: E731
    if role in ROLES_FOR[target]:
        call()
        u.refresh_from_db()
        assert u.status == target
    else:
        with pytest.raises(PermissionDenied):
            call()
        u.refresh_from_db()
        assert u.status == current


def test_a_district_may_not_touch_another_districts_unit(city_admin, district_a, unit_b):
    with pytest.raises(PermissionDenied):
        creating_unit_transition(unit=unit("500106001"), to="launched", actor=district_a)
    u = bring_to("500106001", "launched", city=city_admin)
    with pytest.raises(PermissionDenied):
        creating_unit_transition(unit=u, to="applied", actor=district_a)
    # a unit worker may apply for its own unit only
    with pytest.raises(PermissionDenied):
        creating_unit_transition(unit=bring_to("500103003", "launched", city=city_admin), to="applied", actor=unit_b)


def test_returning_needs_a_reason_and_a_future_date_is_refused(city_admin):
    u = bring_to("500103003", "applied", city=city_admin)
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition(unit=u, to="returned", actor=city_admin, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition(unit=u, to="city", actor=city_admin,
                                 effective_on=timezone.localdate() + timedelta(days=1))
    assert "effective_on" in exc.value.message_dict
    assert unit("500103003").status == "applied"


def test_a_designation_keeps_its_validity(city_admin):
    u = bring_to("500103003", "applied", city=city_admin, on=date(2024, 1, 1))
    t = creating_unit_transition(unit=u, to="city", actor=city_admin, effective_on=date(2024, 2, 29))
    assert t.valid_until == date(2027, 2, 28)
    t2 = creating_unit_transition(unit=unit("500103003"), to="national", actor=city_admin,
                                  effective_on=date(2025, 1, 1), valid_until=date(2029, 12, 31))
    assert t2.valid_until == date(2029, 12, 31)
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition(unit=unit("500103003"), to="international", actor=city_admin,
                                 effective_on=date(2025, 1, 2), valid_until=date(2025, 1, 1))
    assert "valid_until" in exc.value.message_dict


def test_allowed_targets_follow_role_and_state(city_admin, district_a, district_b, unit_a):
    u = bring_to("500103003", "applied", city=city_admin)
    assert set(allowed_targets(u, city_admin)) == {"city", "returned"}
    assert allowed_targets(u, district_a) == ["returned"]
    assert allowed_targets(u, district_b) == []
    assert allowed_targets(u, unit_a) == []


def test_a_designation_with_the_ui_needs_its_decision_document(city_admin):
    u = bring_to("500103003", "applied", city=city_admin)
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition_with_file(unit=u, to="city", actor=city_admin)
    assert "document" in exc.value.message_dict
    t = creating_unit_transition_with_file(unit=u, to="city", actor=city_admin, uploaded=pdf("命名决定.pdf"))
    assert t.document.original_name == "命名决定.pdf" and t.document.org_unit.code == "500103003"


class TestBulkLaunch:
    def test_a_district_launches_several_townships_with_the_plan(self, district_a):
        units = [unit("500103003"), unit("500103001")]
        result = creating_units_launch(units=units, actor=district_a, launched_on=date(2026, 3, 1), plan_file=pdf())
        assert len(result) == 2
        for code in ("500103003", "500103001"):
            u = unit(code)
            assert (u.status, u.launch_year, u.launched_on) == ("launched", 2026, date(2026, 3, 1))
            t = u.transitions.get()
            assert t.document.org_unit == u.org_unit and t.document.role == "implementation_plan"

    def test_one_bad_unit_launches_none(self, city_admin, district_a):
        from safecommunity.archive.models import Attachment

        bring_to("500103001", "launched", city=city_admin)
        before = CreationTransition.objects.count()
        with pytest.raises(ValidationError) as exc:
            creating_units_launch(units=[unit("500103003"), unit("500103001")], actor=district_a,
                                  launched_on=date(2026, 3, 1), plan_file=pdf())
        assert "七星岗街道" in " ".join(exc.value.messages)
        assert unit("500103003").status == "not_started"
        assert CreationTransition.objects.count() == before and not Attachment.objects.exists()

    def test_another_districts_township_launches_none(self, district_a):
        with pytest.raises(PermissionDenied):
            creating_units_launch(units=[unit("500103003"), unit("500106001")], actor=district_a,
                                  launched_on=date(2026, 3, 1), plan_file=pdf())
        assert not CreatingUnit.objects.exclude(status="not_started").exists()

    @pytest.mark.parametrize("kwargs, field", [
        ({"units": []}, "units"),
        ({"plan_file": None}, "plan_file"),
        ({"launched_on": None}, "launched_on"),
        ({"launched_on": date(2999, 1, 1)}, "launched_on"),
    ])
    def test_bad_input_names_the_field(self, district_a, kwargs, field):
        args = {"units": [unit("500103003")], "actor": district_a, "launched_on": date(2026, 3, 1),
                "plan_file": pdf(), **kwargs}
        with pytest.raises(ValidationError) as exc:
            creating_units_launch(**args)
        assert field in exc.value.message_dict
        assert unit("500103003").status == "not_started"

    def test_a_fake_pdf_is_refused(self, district_a):
        from django.core.files.uploadedfile import SimpleUploadedFile

        with pytest.raises(ValidationError) as exc:
            creating_units_launch(units=[unit("500103003")], actor=district_a, launched_on=date(2026, 3, 1),
                                  plan_file=SimpleUploadedFile("plan.pdf", b"not a pdf"))
        assert "plan_file" in exc.value.message_dict
        assert unit("500103003").status == "not_started"


def test_a_date_before_the_previous_change_is_refused(city_admin):
    u = bring_to("500103003", "launched", city=city_admin, on=date(2025, 3, 1))
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition_with_file(unit=u, to="applied", actor=city_admin, effective_on=date(2025, 2, 28))
    assert "2025-03-01" in exc.value.message_dict["effective_on"][0]
    assert unit("500103003").status == "launched"


def test_launching_one_unit_from_its_page_needs_the_implementation_plan(district_a):
    with pytest.raises(ValidationError) as exc:
        creating_unit_transition_with_file(unit=unit("500103003"), to="launched", actor=district_a)
    assert exc.value.message_dict["document"] == ["请上传实施方案。"]
    t = creating_unit_transition_with_file(unit=unit("500103003"), to="launched", actor=district_a, uploaded=pdf())
    assert t.document.role == "implementation_plan" and unit("500103003").launch_year == t.effective_on.year


def test_title_reminders_reach_city_district_and_unit_once(city_admin, district_a, district_b, unit_a):
    from safecommunity.core.models import Notification
    from safecommunity.creation.services import title_expiry_reminders
    from safecommunity.creation.tasks import creation_title_reminders

    u = bring_to("500103003", "applied", city=city_admin, on=date(2019, 1, 1))
    creating_unit_transition(unit=u, to="city", actor=city_admin, effective_on=date(2020, 1, 10))  # until 2023
    bring_to("500103001", "city", city=city_admin, on=timezone.localdate())  # valid for 3 years: no reminder
    assert title_expiry_reminders() == 3
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"city_admin", "district_a",
                                                                                    "unit_a"}
    assert "2023-01-10" in Notification.objects.get(user=unit_a).title
    assert creation_title_reminders.delay().get() == 0  # once per title
