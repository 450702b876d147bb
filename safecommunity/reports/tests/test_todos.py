"""The 待办 inbox of monthly reports: the unit's draft to submit, the district's report to approve,
each a link to the report that answers the user."""

import pytest

from safecommunity.core.registry import todos_for

pytestmark = pytest.mark.django_db


def _mine(user):
    return [t for t in todos_for(user) if t.key.startswith("reports.")]


def test_the_unit_submits_the_district_approves(client_for, draft, unit_a, district_a, district_b, city_admin):
    from safecommunity.reports.services import monthly_report_submit, monthly_report_update

    [todo] = _mine(unit_a)
    assert todo.kind == "待报送月报" and todo.url == draft.get_absolute_url() and todo.deadline
    assert _mine(district_a) == []
    monthly_report_update(report=draft, actor=unit_a, work_done="开展消防宣传两次", problems="无", next_plans="演练")
    monthly_report_submit(report=draft, actor=unit_a)
    assert _mine(unit_a) == []
    [todo] = _mine(district_a)
    assert todo.kind == "待审核月报" and client_for(district_a).get(todo.url).status_code == 200
    assert _mine(district_b) == [] and _mine(city_admin) == []
