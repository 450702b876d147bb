"""The 待办 inbox of hazards: what `allowed_actions` offers the user, in scope only."""

import pytest

from safecommunity.core.registry import todos_for
from safecommunity.hazards.tests.factories import report, unit

pytestmark = pytest.mark.django_db


def _mine(user):
    return [t for t in todos_for(user) if t.key.startswith("hazards.")]


def test_each_role_sees_its_step(client_for, district_a, district_b, unit_a, dept_ga):
    from safecommunity.hazards import services

    hazard = report(district_a)
    [todo] = _mine(district_a)
    assert todo.kind == "待分派隐患" and todo.url == hazard.get_absolute_url()
    assert client_for(district_a).get(todo.url).status_code == 200
    assert _mine(district_b) == [] and _mine(unit_a) == []
    services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=unit("500103003"))
    assert _mine(district_a) == []  # rectifying is the unit's work, not the office's
    [todo] = _mine(unit_a)
    assert todo.kind == "待开始整改隐患" and todo.deadline == hazard.__class__.objects.get().deadline
    assert client_for(unit_a).get(todo.url).status_code == 200
