"""Cached figures: computed once for a burst of readers, never served after a change they depend on."""

import threading

import pytest
from django.core.cache import cache
from django.db import close_old_connections

from safecommunity.core.figures_cache import cached_figures, figures_changed, scope_key
from safecommunity.orgunits.models import CreatingUnit


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _launched(user):
    return CreatingUnit.objects.visible_to(user).exclude(status=CreatingUnit.Status.NOT_STARTED).count()


def _figure(user, calls):
    def compute():
        calls.append(1)
        return _launched(user)

    return cached_figures("test.launched", scope=scope_key(user), depends_on=("orgunits.CreatingUnit",),
                          compute=compute)


@pytest.mark.django_db
def test_a_figure_is_computed_once_and_again_after_a_save(district_a, tree, settings):
    settings.FIGURES_CACHE_SECONDS = 600
    unit = CreatingUnit.objects.get(org_unit__code="500103003") if CreatingUnit.objects.filter(
        org_unit__code="500103003").exists() else CreatingUnit.objects.create(
        org_unit=tree["500103003"], kind=CreatingUnit.Kind.TOWNSHIP)
    calls = []
    first = _figure(district_a, calls)
    assert _figure(district_a, calls) == first and len(calls) == 1

    unit.status = CreatingUnit.Status.LAUNCHED if first == 0 else CreatingUnit.Status.NOT_STARTED
    unit.save()  # a save through the ORM: post_save bumps the model's version
    second = _figure(district_a, calls)
    assert len(calls) == 2 and second == _launched(district_a) and second != first


@pytest.mark.django_db
def test_a_bulk_write_is_seen_after_figures_changed(district_a, district_b, tree, settings):
    settings.FIGURES_CACHE_SECONDS = 600
    calls = []
    before = _figure(district_a, calls)
    CreatingUnit.objects.filter(org_unit__parent__code="500103").update(status=CreatingUnit.Status.LAUNCHED)
    assert _figure(district_a, calls) == before  # update() sends no signal: the importer must say so
    figures_changed("orgunits.CreatingUnit")
    assert _figure(district_a, calls) == _launched(district_a) == CreatingUnit.objects.filter(
        org_unit__parent__code="500103").count()
    # another scope has its own figure
    assert _figure(district_b, calls) == _launched(district_b)


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_readers_costs_one_computation(district_a, settings):
    settings.FIGURES_CACHE_SECONDS = 600
    calls, results = [], []
    gate = threading.Barrier(8)

    def slow():
        calls.append(1)
        threading.Event().wait(0.3)
        return 42

    def reader():
        gate.wait()
        results.append(cached_figures("test.burst", scope="x", depends_on=("orgunits.CreatingUnit",), compute=slow))
        close_old_connections()

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and len(calls) == 1


@pytest.mark.django_db
def test_the_home_figures_come_from_the_cache_until_a_unit_changes(city_admin, tree, settings,
                                                                    django_assert_num_queries):
    from safecommunity.creation.services import creating_unit_transition
    from safecommunity.dashboards.selectors import unit_status_totals

    settings.FIGURES_CACHE_SECONDS = 600
    before = unit_status_totals(city_admin)
    with django_assert_num_queries(0):  # a burst of readers costs no query
        assert unit_status_totals(city_admin) == before
    unit = CreatingUnit.objects.get(org_unit__code="500103003")
    creating_unit_transition(unit=unit, to=CreatingUnit.Status.LAUNCHED, actor=city_admin, reason="测试")
    after = unit_status_totals(city_admin)
    assert after["launched"] == before["launched"] + 1


# --- versions per place in the org-unit tree -----------------------------------------------------

def _placed(unit, calls):
    """A figure of one subtree (a unit's own), counted in `calls` each time it is computed."""
    def compute():
        calls.append(unit.code)
        return len(calls)

    return cached_figures(f"test.placed.{unit.code}", scope="s", depends_on=("hazards.Hazard",),
                          node=unit.path, compute=compute)


@pytest.mark.django_db
def test_a_write_recomputes_the_figures_of_its_own_subtree_and_above_only(settings, tree, unit_a, unit_b, city_admin):
    from safecommunity.hazards.tests.factories import report

    settings.FIGURES_CACHE_SECONDS = 600
    here, other = unit_a.org_unit, unit_b.org_unit  # two units in two districts
    district = here.parent
    calls = []
    city = lambda: cached_figures("test.city", scope="s", depends_on=("hazards.Hazard",),  # noqa: E731
                                  compute=lambda: calls.append("city") or len(calls))
    for f in (lambda: _placed(here, calls), lambda: _placed(other, calls), lambda: _placed(district, calls), city):
        f()
        f()
    assert sorted(calls) == sorted([here.code, other.code, district.code, "city"])

    calls.clear()
    report(unit_b, code=other.code)  # a hazard of the other district's unit
    _placed(here, calls), _placed(district, calls), _placed(other, calls), city()
    assert sorted(calls) == sorted([other.code, "city"])  # this district's figures were kept

    calls.clear()
    report(unit_a, code=here.code)
    _placed(here, calls), _placed(district, calls), _placed(other, calls), city()
    assert sorted(calls) == sorted([here.code, district.code, "city"])


@pytest.mark.django_db
def test_a_record_placed_at_an_ancestor_or_nowhere_reaches_the_units_below(settings, tree, unit_a, unit_b):
    settings.FIGURES_CACHE_SECONDS = 600
    here, other = unit_a.org_unit, unit_b.org_unit
    calls = []

    def figure(unit):
        return cached_figures(f"test.ou.{unit.code}", scope="s", depends_on=("orgunits.CreatingUnit",),
                              node=unit.path, compute=lambda: calls.append(unit.code))

    figure(here), figure(other)
    calls.clear()
    # a record placed at the district above `here` (an ancestor; not in `other`'s tree)
    figures_changed("orgunits.CreatingUnit", paths=[here.parent.path])
    figure(here), figure(other)
    assert calls == [here.code]
    calls.clear()
    figures_changed("orgunits.CreatingUnit")  # a bulk write, place unknown: every figure
    figure(here), figure(other)
    assert calls == [here.code, other.code]


@pytest.mark.django_db
def test_a_hazard_moved_or_handed_over_recomputes_both_units(settings, tree, unit_a, unit_b, district_a):
    from safecommunity.hazards.models import Hazard
    from safecommunity.hazards.tests.factories import report

    settings.FIGURES_CACHE_SECONDS = 600
    here, other = unit_a.org_unit, unit_b.org_unit
    hazard = report(unit_a, code=here.code)
    calls = []
    _placed(here, calls), _placed(other, calls)
    calls.clear()
    hazard.responsible_unit = other  # made responsible: the other unit now sees it
    hazard.save()
    _placed(here, calls), _placed(other, calls)
    assert sorted(calls) == sorted([here.code, other.code])

    calls.clear()
    moved = Hazard.objects.get(pk=hazard.pk)
    moved.responsible_unit = None
    moved.org_unit = other  # moved away from `here`: its old place must recompute too
    moved.save()
    _placed(here, calls), _placed(other, calls)
    assert sorted(calls) == sorted([here.code, other.code])


@pytest.mark.django_db
def test_figures_read_together_compute_only_the_missing_ones(settings, tree):
    from safecommunity.core.figures_cache import cached_figures_many

    settings.FIGURES_CACHE_SECONDS = 600
    calls = []

    def ask(name, value):
        return {"name": name, "scope": "s", "depends_on": ("orgunits.CreatingUnit",),
                "compute": lambda: calls.append(name) or value}

    assert cached_figures("test.one", **{k: v for k, v in ask("test.one", 1).items() if k != "name"}) == 1
    assert cached_figures_many([ask("test.one", 1), ask("test.two", 2)]) == [1, 2]
    assert calls == ["test.one", "test.two"]  # the kept one was not computed again
    assert cached_figures_many([ask("test.two", 2), ask("test.one", 1)]) == [2, 1] and len(calls) == 2
    figures_changed("orgunits.CreatingUnit")
    assert cached_figures_many([ask("test.one", 1), ask("test.two", 2)]) == [1, 2] and len(calls) == 4
