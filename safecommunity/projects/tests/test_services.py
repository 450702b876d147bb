"""Project writes: status table, half-year evaluations, indicator values, department scope."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safecommunity.orgunits.models import Department, OrgUnit
from safecommunity.projects import services
from safecommunity.projects.models import IndicatorValue, PhaseEvaluation, Project, ProjectStep
from safecommunity.projects.tests.factories import IndicatorFactory, ProjectFactory


def test_status_moves_along_the_table_only(tree, unit_a):
    p = ProjectFactory(status=Project.Status.PLANNED)
    services.project_transition(project=p, to="in_progress", actor=unit_a, note="启动")
    with pytest.raises(ValidationError) as exc:
        services.project_transition(project=p, to="planned", actor=unit_a)
    assert "to" in exc.value.message_dict
    services.project_transition(project=p, to="completed", actor=unit_a)
    p.refresh_from_db()
    assert p.status == "completed"
    assert list(ProjectStep.objects.values_list("to_status", flat=True)) == ["completed", "in_progress"]


def test_status_cannot_be_changed_by_editing(tree, unit_a):
    p = ProjectFactory(status=Project.Status.PLANNED)
    p.status = Project.Status.COMPLETED
    with pytest.raises(ValidationError) as exc:
        services.project_save(project=p, actor=unit_a)
    assert "status" in exc.value.message_dict


def test_another_units_project_cannot_be_moved(tree, unit_b, dept_ga):
    p = ProjectFactory()
    for actor in (unit_b, dept_ga):
        with pytest.raises(PermissionDenied):
            services.project_transition(project=p, to="completed", actor=actor)


def test_bad_dates_name_the_field_and_save_nothing(tree, unit_a):
    p = ProjectFactory.build(org_unit=OrgUnit.objects.get(code="500103003"), start_on=date(2025, 6, 1),
                             end_on=date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.project_save(project=p, actor=unit_a)
    assert "end_on" in exc.value.message_dict
    assert not Project.objects.exists()


def test_evaluation_with_indicator_values(tree, unit_a):
    p = ProjectFactory()
    ind = IndicatorFactory(project=p)
    ev = services.evaluation_save(evaluation=PhaseEvaluation(project=p, year=2025, half=1,
                                                             evaluated_on=date(2025, 6, 28), progress="完成"),
                                  actor=unit_a, values={ind.pk: "10.5"})
    assert IndicatorValue.objects.get(evaluation=ev).value == pytest.approx(10.5)


def test_a_half_year_is_evaluated_once(tree, unit_a):
    p = ProjectFactory()
    kwargs = {"project": p, "year": 2025, "half": 1, "evaluated_on": date(2025, 6, 28), "progress": "完成"}
    services.evaluation_save(evaluation=PhaseEvaluation(**kwargs), actor=unit_a)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_save(evaluation=PhaseEvaluation(**kwargs), actor=unit_a)
    assert "half" in exc.value.message_dict
    assert PhaseEvaluation.objects.count() == 1


def test_a_half_the_project_did_not_run_is_refused(tree, unit_a):
    p = ProjectFactory(start_on=date(2025, 8, 1))
    with pytest.raises(ValidationError) as exc:
        services.evaluation_save(evaluation=PhaseEvaluation(project=p, year=2025, half=1, evaluated_on=date(2025, 6, 1),
                                                            progress="x"), actor=unit_a)
    assert "half" in exc.value.message_dict


def test_a_bad_indicator_value_rolls_everything_back(tree, unit_a):
    p = ProjectFactory()
    other = IndicatorFactory()  # of another project
    with pytest.raises(ValidationError) as exc:
        services.evaluation_save(evaluation=PhaseEvaluation(project=p, year=2025, half=1,
                                                            evaluated_on=date(2025, 6, 1), progress="x"),
                                 actor=unit_a, values={other.pk: 3})
    assert "values" in exc.value.message_dict
    assert not PhaseEvaluation.objects.exists()


def test_departments_see_projects_of_their_domain(tree, dept_ga):
    ga = Department.objects.get(code="GA")
    led = ProjectFactory(area="water", responsible_department=ga)
    supported = ProjectFactory(area="water")
    supported.supporting_departments.add(ga)
    area = ProjectFactory(area=ga.safety_areas.first().code, code="500106001")
    other = Department.objects.exclude(pk=ga.pk).exclude(safety_areas__in=ga.safety_areas.all()).first()
    unrelated_area = other.safety_areas.exclude(pk__in=ga.safety_areas.all()).first() if other else None
    hidden = ProjectFactory(area=unrelated_area.code if unrelated_area else "water")
    visible = set(Project.objects.visible_to(dept_ga))
    assert {led, supported, area} <= visible
    assert hidden not in visible
    assert len(visible) == len(list(Project.objects.visible_to(dept_ga)))  # no duplicates
