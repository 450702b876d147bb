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
