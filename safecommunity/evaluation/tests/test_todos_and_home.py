"""The expert's home and 待办: assigned evaluations with the site-visit date and scoring progress."""

import pytest

from safecommunity.core.registry import todos_for

pytestmark = pytest.mark.django_db


def test_the_expert_sees_the_evaluation_to_score(client_for, evaluating, experts, district_a, city_admin):
    e1 = experts["e1"]
    [todo] = [t for t in todos_for(e1) if t.key.startswith("evaluation.")]
    assert todo.kind == "待评分评审" and todo.deadline == evaluating.site_visit_on
    assert client_for(e1).get(todo.url).status_code == 200
    html = client_for(e1).get("/").content.decode()
    assert 'id="home-expert"' in html and "解放碑街道" in html
    assert f"{evaluating.site_visit_on:%Y-%m-%d}" in html and "已评 0 / " in html and "0 / 2 人已提交" in html
    assert "sc-kpi-label\">区县" not in html
    assert todos_for(experts["local"]) == []


def test_the_district_reviews_the_unit_corrects(client_for, submitted, district_a, unit_a, district_b):
    [todo] = [t for t in todos_for(district_a) if t.key.startswith("evaluation.")]
    assert todo.kind == "待审核申报" and client_for(district_a).get(todo.url).status_code == 200
    assert [t for t in todos_for(district_b) if t.key.startswith("evaluation.")] == []
    assert [t for t in todos_for(unit_a) if t.key.startswith("evaluation.")] == []
