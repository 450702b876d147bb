"""The to-do count on every page and the scorecard on every home come from the figures cache
(core.registry.app_todos, scorecard.selectors._count): each app's `todos.py` and `obligations.py`
name in DEPENDS_ON the models whose tables they read, and a write to any of them makes the next page
compute afresh. A missing name would leave a stale figure, so the first tests run every app's
`todos(user)` as every role and every obligation's count over the demo data, and compare the
tables their queries read with the tables of DEPENDS_ON. Those are marked `matrix`: they build the
demo (once, on PostgreSQL, in CI).
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.test_url_role_matrix import USERS, demo_data

TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def _labels_by_table():
    return {m._meta.db_table: m._meta.label for m in apps.get_models(include_auto_created=True)}


@pytest.mark.matrix
@pytest.mark.django_db
def test_every_table_a_todo_list_reads_is_in_its_depends_on(tree):
    from safecommunity.accounts.models import User
    from safecommunity.core.registry import contributions

    demo_data()
    labels = _labels_by_table()
    users = list(User.objects.filter(username__in=[name for name, role in USERS if role]))
    assert len(users) == len([r for _, r in USERS if r])
    from safecommunity.core.figures_cache import _IGNORED_APPS

    checked, cached = 0, 0
    for module in contributions("todos"):
        declared = set(getattr(module, "DEPENDS_ON", ()))
        if not hasattr(module, "todos") or not declared:
            continue  # no DEPENDS_ON: computed on every page (accounts: sign-in lockouts, no signal)
        cached += 1
        assert declared <= set(labels.values()), f"{module.__name__}: unknown labels {declared - set(labels.values())}"
        silent = {label for label in declared if label.split(".")[0] in _IGNORED_APPS}
        assert not silent, f"{module.__name__}: changes of {silent} bump no version"
        for user in users:
            with CaptureQueriesContext(connection) as queries:
                module.todos(user)
            read = {labels[t] for q in queries.captured_queries for t in TABLE.findall(q["sql"]) if t in labels}
            assert read <= declared, f"{module.__name__} for {user.username} reads {sorted(read - declared)}"
            checked += len(queries.captured_queries)
    assert cached >= 7 and checked > 0


@pytest.mark.matrix
@pytest.mark.django_db
def test_every_table_a_cached_home_panel_reads_is_in_its_depends_on(tree):
    """Home blocks kept per user (core.registry.app_panels) name every table they read."""
    from django.test import RequestFactory

    from safecommunity.accounts.models import User
    from safecommunity.core.figures_cache import _IGNORED_APPS
    from safecommunity.core.registry import contributions

    demo_data()
    labels = _labels_by_table()
    users = list(User.objects.filter(username__in=[name for name, role in USERS if role]))
    cached, shown, missing = 0, 0, {}
    for module in contributions("panels"):
        declared = set(getattr(module, "DEPENDS_ON", ()))
        if not declared:
            continue
        cached += 1
        assert declared <= set(labels.values()), f"{module.__name__}: unknown labels {declared - set(labels.values())}"
        assert not {label for label in declared if label.split(".")[0] in _IGNORED_APPS}
        for user in users:
            request = RequestFactory().get("/")
            request.user = user
            with CaptureQueriesContext(connection) as queries:
                shown += len(module.home_panels(request) or [])
            read = {labels[t] for q in queries.captured_queries for t in TABLE.findall(q["sql"]) if t in labels}
            missing.setdefault(module.__name__, set()).update(read - declared)
    assert {name: sorted(labels) for name, labels in missing.items() if labels} == {}
    assert cached >= 4 and shown > 0


@pytest.mark.matrix
@pytest.mark.django_db
def test_every_table_the_big_screen_reads_is_in_its_depends_on(tree):
    """The big screen is kept in the figures cache (bigscreen.selectors.screen): it names every table."""
    from safecommunity.accounts.models import User
    from safecommunity.bigscreen import permissions
    from safecommunity.bigscreen.selectors import DEPENDS_ON, _screen
    from safecommunity.core.figures_cache import _IGNORED_APPS
    from safecommunity.orgunits.models import OrgUnit

    demo_data()
    labels = _labels_by_table()
    declared = set(DEPENDS_ON)
    assert declared <= set(labels.values()) and not {x for x in declared if x.split(".")[0] in _IGNORED_APPS}
    users = [u for u in User.objects.filter(username__in=[name for name, role in USERS if role])
             if u.role in permissions.view.roles]
    district = OrgUnit.objects.get(code="500103")
    read = set()
    for user in users:
        for place in (None, district):
            with CaptureQueriesContext(connection) as queries:
                _screen(user, place)
            read |= {labels[t] for q in queries.captured_queries for t in TABLE.findall(q["sql"]) if t in labels}
    assert len(users) >= 2 and "hazards.Hazard" in read
    assert not read - declared, f"the big screen reads {sorted(read - declared)} not in its DEPENDS_ON"


@pytest.mark.matrix
@pytest.mark.django_db
def test_every_table_a_scorecard_count_reads_is_in_its_depends_on(tree):
    from django.utils import timezone

    from safecommunity.core.registry import contributions
    from safecommunity.orgunits.models import CreatingUnit, OrgUnit

    demo_data()
    labels = _labels_by_table()
    units = list(CreatingUnit.objects.values_list("pk", flat=True))
    districts = list(OrgUnit.objects.filter(level="district").values_list("pk", flat=True))
    year = timezone.localdate().year
    counted = 0
    for module in contributions("obligations"):
        declared = set(getattr(module, "DEPENDS_ON", ()))
        assert declared, f"{module.__name__} has no DEPENDS_ON"
        for obligation in module.OBLIGATIONS:
            for y in (year, year - 1):
                with CaptureQueriesContext(connection) as queries:
                    obligation.count(creating_unit_ids=units if obligation.level == "unit" else districts, year=y)
                read = {labels[t] for q in queries.captured_queries for t in TABLE.findall(q["sql"]) if t in labels}
                assert read <= declared, f"{obligation.key} reads {sorted(read - declared)}"
                counted += 1
    assert counted >= 20


@pytest.mark.django_db
def test_a_write_shows_in_the_count_at_once_and_the_count_is_kept_between_pages(
        settings, client_for, district_a):
    from django.core.cache import cache

    from safecommunity.core.registry import todos_for
    from safecommunity.hazards.tests.factories import report

    settings.TODOS_CACHE_SECONDS = 60
    cache.clear()
    assert [t for t in todos_for(district_a) if t.key.startswith("hazards.")] == []
    hazard = report(district_a)  # a unit reports a hazard: the office has one to assign
    [todo] = [t for t in todos_for(district_a) if t.key.startswith("hazards.")]
    assert todo.url == hazard.get_absolute_url()

    client = client_for(district_a)
    client.get("/todo/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as warm:
        page = client.get("/todo/")
    assert hazard.get_absolute_url() in page.content.decode()
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    assert "hazards_hazard" not in tables  # served from the cache: no app's to-do query ran
    second = report(district_a)
    page = client.get("/todo/")
    assert second.get_absolute_url() in page.content.decode()


@pytest.mark.django_db
def test_a_unit_home_scorecard_follows_a_write_at_once(settings, client_for, unit_a):
    """The counts are kept between pages, and a write to a table a count reads drops them at once."""
    from django.core.cache import cache
    from django.utils import timezone

    from safecommunity.scorecard.selectors import unit_scorecard

    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    year = timezone.localdate().year
    value = {r.rule.key: r.value for r in unit_scorecard(unit_a.creating_unit, year).results}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as again:
        unit_scorecard(unit_a.creating_unit, year)
    assert not any("hazards_hazard" in q["sql"] for q in again.captured_queries)  # kept
    from safecommunity.hazards.tests.factories import report

    report(unit_a)
    with CaptureQueriesContext(connection) as after_write:
        cached = {r.rule.key: r.value for r in unit_scorecard(unit_a.creating_unit, year).results}
    assert any("hazards_hazard" in q["sql"] for q in after_write.captured_queries)  # counted afresh
    settings.FIGURES_CACHE_SECONDS = 0
    assert cached == {r.rule.key: r.value for r in unit_scorecard(unit_a.creating_unit, year).results}
    assert set(cached) == set(value)
