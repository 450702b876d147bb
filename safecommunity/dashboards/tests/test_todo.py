"""The 待办 page and the count in the top bar: overdue first, each row a link to the item itself."""

import datetime

import pytest

from safecommunity.core.todos import Todo

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_todos(monkeypatch):
    """Two apps' worth of items for every user, to check the order and the page itself."""
    from types import SimpleNamespace

    from safecommunity.core import registry

    today = datetime.date(2026, 6, 1)
    items = [
        Todo("待审核月报", "解放碑街道 2026-05", "/reports/1/", None, key="a"),
        Todo("待验收隐患", "YH202600002", "/hazards/2/", today + datetime.timedelta(days=3), key="b"),
        Todo("逾期隐患", "YH202600001", "/hazards/1/", today - datetime.timedelta(days=9), overdue=True, key="c"),
        Todo("逾期隐患", "YH202600001", "/hazards/1/", today - datetime.timedelta(days=9), overdue=True, key="c"),
    ]
    module = SimpleNamespace(todos=lambda user: items)
    real = registry.contributions
    monkeypatch.setattr(registry, "contributions",
                        lambda name: [module] if name == "todos" else real(name))
    return items


def test_overdue_first_then_by_deadline_no_duplicates(fake_todos, district_a):
    from safecommunity.core.registry import todos_for

    assert [t.key for t in todos_for(district_a)] == ["c", "b", "a"]


def test_the_page_lists_and_the_top_bar_counts(fake_todos, client_for, district_a):
    client = client_for(district_a)
    html = client.get("/todo/").content.decode()
    assert html.index("/hazards/1/") < html.index("/hazards/2/") < html.index("/reports/1/")
    assert "逾期" in html and "待验收隐患" in html
    home = client.get("/").content.decode()
    assert 'id="todo-count">3<' in home and 'href="/todo/"' in home


def test_nothing_waiting_reads_so(client_for, sysadmin):
    html = client_for(sysadmin).get("/todo/").content.decode()
    assert "暂无待办事项" in html and 'id="todo-count"' not in html


def test_every_real_item_opens_for_its_user(client_for, district_a, unit_a, dept_ga, city_admin):
    from safecommunity.core.registry import todos_for
    from safecommunity.hazards.tests.factories import report

    report(district_a)
    report(unit_a, code="500103003")
    for user in (district_a, unit_a, dept_ga, city_admin):
        for todo in todos_for(user):
            assert client_for(user).get(todo.url).status_code == 200, (user, todo)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/todo/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
