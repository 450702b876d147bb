"""Each scorecard rule at its boundary, computed from the records (year 2025, judged in 2026)."""

from datetime import date

import pytest

from safecommunity.activities.models import Activity, EventType, Meeting
from safecommunity.activities.tests.factories import (
    ActivityFactory,
    DrillFactory,
    EquipmentFactory,
    MeetingFactory,
    PlanFactory,
    TeamFactory,
)
from safecommunity.projects.models import Project
from safecommunity.projects.tests.factories import EvaluationFactory, ProjectFactory
from safecommunity.scorecard import selectors
from safecommunity.scorecard.services import rule_setting_set

LATER = date(2026, 3, 1)  # 2025 is over: what is missing is red
EARLY = date(2025, 8, 1)  # during 2025: what is missing is still due


def result(unit, key, year=2025, today=LATER):
    card = selectors.unit_scorecard(unit, year, today=today)
    return next(r for r in card.results if r.rule.key == key)


@pytest.fixture
def unit(launched):
    return launched["500103003"]


def test_three_drills_are_not_enough_four_are(unit):
    DrillFactory.create_batch(3)
    r = result(unit, "drills")
    assert (r.value, r.status) == (3, "not_met")
    assert result(unit, "drills", today=EARLY).status == "due"
    DrillFactory(held_on=date(2025, 11, 2))
    r = result(unit, "drills")
    assert (r.value, r.status) == (4, "met")


def test_drills_of_another_year_or_unit_do_not_count(unit):
    DrillFactory.create_batch(3)
    DrillFactory(held_on=date(2024, 12, 31))
    DrillFactory(code="500103001")
    assert result(unit, "drills").value == 3


def test_publicity_and_training_events_boundary(unit):
    ActivityFactory.create_batch(2)
    ActivityFactory(kind=Activity.Kind.LECTURE)
    assert result(unit, "publicity_training").status == "not_met"
    ActivityFactory(kind=Activity.Kind.PUBLICITY)
    r = result(unit, "publicity_training")
    assert (r.value, r.status) == (4, "met")


def test_seven_projects_running_in_the_year(unit):
    ProjectFactory.create_batch(5)
    ProjectFactory(start_on=date(2023, 3, 1), end_on=None)  # still running
    ProjectFactory(start_on=date(2026, 1, 1), end_on=None)  # starts later: not this year
    ProjectFactory(status=Project.Status.CANCELLED)  # cancelled: not counted
    assert (result(unit, "promotion_projects").value, result(unit, "promotion_projects").status) == (6, "not_met")
    ProjectFactory(start_on=date(2024, 1, 1), end_on=date(2025, 2, 1))  # ended early in 2025
    assert (result(unit, "promotion_projects").value, result(unit, "promotion_projects").status) == (7, "met")


def test_a_project_missing_its_second_half_year_evaluation(unit):
    project = ProjectFactory()
    EvaluationFactory(project=project, half=1)
    r = result(unit, "project_evaluations")
    assert (r.value, r.status) == (50, "not_met")
    assert result(unit, "project_evaluations", today=EARLY).status == "due"
    EvaluationFactory(project=project, half=2)
    assert result(unit, "project_evaluations").status == "met"


def test_a_project_started_in_july_owes_only_the_second_half(unit):
    project = ProjectFactory(start_on=date(2025, 7, 1))
    EvaluationFactory(project=project, half=2)
    assert result(unit, "project_evaluations").value == 100


def test_one_unevaluated_project_among_several_keeps_the_rule_red(unit):
    for p in ProjectFactory.create_batch(3):
        EvaluationFactory(project=p, half=1)
        EvaluationFactory(project=p, half=2)
    ProjectFactory(start_on=date(2025, 9, 1))
    r = result(unit, "project_evaluations")
    assert (r.value, r.status) == (85, "not_met")  # 6 of 7 half-years


def test_year_end_review_meeting(unit):
    MeetingFactory(kind=Meeting.Kind.WORK)
    MeetingFactory(held_on=date(2024, 12, 28))
    assert result(unit, "year_end_review").status == "not_met"
    MeetingFactory()
    assert result(unit, "year_end_review").status == "met"


def test_emergency_plans_must_cover_four_event_types(unit):
    PlanFactory(event_type=EventType.NATURAL_DISASTER)
    PlanFactory(event_type=EventType.NATURAL_DISASTER, version="V2.0")
    PlanFactory(event_type=EventType.ACCIDENT)
    PlanFactory(event_type=EventType.PUBLIC_HEALTH)
    PlanFactory(event_type=EventType.SOCIAL_SECURITY, approved_on=date(2026, 1, 5))  # approved too late
    r = result(unit, "emergency_plans")
    assert (r.value, r.status) == (3, "not_met")
    PlanFactory(event_type=EventType.SOCIAL_SECURITY, approved_on=date(2025, 12, 1))
    assert result(unit, "emergency_plans").status == "met"


def test_equipment_and_team(unit):
    EquipmentFactory(retired_on=date(2024, 5, 1))
    TeamFactory(established_on=date(2026, 2, 1))
    assert result(unit, "emergency_equipment").status == "not_met"
    assert result(unit, "emergency_team").status == "not_met"
    EquipmentFactory(acquired_on=date(2025, 1, 1))
    TeamFactory()
    assert result(unit, "emergency_equipment").status == "met"
    assert result(unit, "emergency_team").status == "met"


def test_district_standards_training_is_recorded_by_the_district(launched, tree):
    district = tree["500103"]
    ActivityFactory(kind=Activity.Kind.STANDARDS_TRAINING)  # by a unit: not the district's own
    ActivityFactory(code="500103", kind=Activity.Kind.TRAINING)  # the district, but not standards
    card = selectors.scorecards([district], 2025, level="district", today=LATER)[0]
    assert [(r.rule.key, r.value, r.status) for r in card.results] == [("district_standards_training", 0, "not_met")]
    ActivityFactory(code="500103", kind=Activity.Kind.STANDARDS_TRAINING)
    card = selectors.scorecards([district], 2025, level="district", today=LATER)[0]
    assert card.results[0].status == "met"
    other = selectors.scorecards([tree["500106"]], 2025, level="district", today=LATER)[0]
    assert other.results[0].value == 0


def test_a_minimum_changed_by_the_city_applies_to_that_year_only(unit, city_admin):
    DrillFactory.create_batch(3)
    DrillFactory.create_batch(3, held_on=date(2024, 6, 1))
    rule_setting_set(year=2025, key="drills", minimum=3, actor=city_admin)
    r = result(unit, "drills")
    assert (r.rule.minimum, r.status) == (3, "met")
    assert result(unit, "drills", year=2024).status == "not_met"  # 2024 still needs 4
    rule_setting_set(year=2025, key="drills", minimum=5, actor=city_admin)
    assert result(unit, "drills").status == "not_met"


def test_a_rule_the_city_stops_counting_leaves_the_scorecard(unit, city_admin):
    rule_setting_set(year=2025, key="emergency_team", minimum=1, is_active=False, actor=city_admin)
    keys = [r.rule.key for r in selectors.unit_scorecard(unit, 2025).results]
    assert "emergency_team" not in keys and "drills" in keys


def test_only_the_city_sets_minimums_and_bad_values_change_nothing(unit, district_a, city_admin):
    from django.core.exceptions import PermissionDenied, ValidationError

    from safecommunity.scorecard.models import RuleSetting

    with pytest.raises(PermissionDenied):
        rule_setting_set(year=2025, key="drills", minimum=1, actor=district_a)
    for bad in ({"minimum": -1}, {"minimum": "many"}, {"key": "nonsense"}, {"year": 1900}):
        kwargs = {"year": 2025, "key": "drills", "minimum": 2, **bad}
        with pytest.raises(ValidationError) as exc:
            rule_setting_set(actor=city_admin, **kwargs)
        assert next(iter(bad)) in exc.value.message_dict
    assert not RuleSetting.objects.exists()


def test_rules_of_other_apps_join_through_the_plugin_interface(unit, monkeypatch):
    import types

    from safecommunity.core.plugins import Obligation

    fake = types.SimpleNamespace(OBLIGATIONS=[Obligation(
        key="monthly_reports", label="Monthly reports on time", default_minimum=12,
        count=lambda *, creating_unit_ids, year: {i: 12 for i in creating_unit_ids}, order=90)])
    real = selectors.contributions
    monkeypatch.setattr(selectors, "contributions", lambda name: [*real(name), fake])
    r = result(unit, "monthly_reports")
    assert (r.value, r.status) == (12, "met")


def test_every_rule_of_the_notice_is_there():
    keys = {o.key for o in selectors.all_obligations()}
    assert {"publicity_training", "district_standards_training", "promotion_projects", "project_evaluations",
            "year_end_review", "emergency_plans", "emergency_equipment", "emergency_team", "drills"} <= keys


@pytest.mark.parametrize("today, expected", [
    (date(2025, 12, 31), "due"), (date(2026, 1, 1), "not_met"), (date(2024, 5, 1), "due"),
])
def test_due_later_this_year_turns_red_after_the_year(today, expected):
    rule = selectors.all_obligations()[0]
    assert selectors.status_for(0, 1, rule, 2025, today) == expected
    assert selectors.status_for(1, 1, rule, 2025, today) == "met"


def test_a_failing_rule_of_another_app_is_left_off_not_a_500(unit, monkeypatch, client_for, unit_a):
    import types

    from safecommunity.core.plugins import Obligation

    def broken(*, creating_unit_ids, year):
        raise RuntimeError("table missing")

    fake = types.SimpleNamespace(OBLIGATIONS=[Obligation(key="broken", label="x", default_minimum=1, count=broken)])
    real = selectors.contributions
    monkeypatch.setattr(selectors, "contributions", lambda name: [*real(name), fake])
    keys = [r.rule.key for r in selectors.unit_scorecard(unit, 2025).results]
    assert "broken" not in keys and "drills" in keys
    assert client_for(unit_a).get("/scorecard/units/500103003/").status_code == 200
