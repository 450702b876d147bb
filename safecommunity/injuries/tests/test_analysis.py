"""The analysis: counts and rates by dimension, missing population, the summary table agreeing
with the records, and the plugins."""

from datetime import date

import pytest

from safecommunity.injuries import choices, selectors, services
from safecommunity.injuries.models import NilReport
from safecommunity.injuries.monthly_figures import monthly_figures
from safecommunity.injuries.obligations import count_areas_covered
from safecommunity.orgunits.models import CreatingUnit

YEAR = 2024


@pytest.fixture
def data(unit_a, unit_a2, unit_b, tree, make_record, code):
    services.population_save(actor=unit_a, org_unit=tree["500103003"], year=YEAR,
                             counts={("M", "25-44"): 4000, ("F", "25-44"): 6000})
    # 七星岗 (500103001) has records but no population.
    for _ in range(6):
        make_record(occurred_on=date(YEAR, 3, 5))
    for _ in range(4):
        make_record(occurred_on=date(YEAR, 7, 5), sex="F", mechanism=code(choices.MECHANISM, "burn"))
    for _ in range(3):
        make_record("500103001", occurred_on=date(YEAR, 3, 5))
    make_record("500106001", occurred_on=date(YEAR, 3, 5))
    services.stats_refresh({(tree[c].pk, YEAR) for c in ("500103003", "500103001", "500106001")})


@pytest.mark.django_db
def test_unit_analysis_counts_and_rates(data, unit_a, tree):
    a = selectors.analysis(unit_a, tree["500103003"], YEAR)
    assert a.total == 10 and a.population == 10000
    assert a.rate == pytest.approx(1.0)  # 10 / 10,000 × 1,000
    sex = {r.key: r for r in a.breakdowns["sex"]}
    assert sex["M"].count == 6 and sex["M"].rate == pytest.approx(1.5)  # 6 / 4,000
    assert sex["F"].rate == pytest.approx(4 / 6)
    months = {r.key: r.count for r in a.breakdowns["month"]}
    assert months["3"] == 6 and months["7"] == 4 and len(months) == 12
    assert a.top[0].count == 6 and "跌倒" in a.top[0].label
    assert not a.missing


@pytest.mark.django_db
def test_district_says_which_population_is_missing(data, district_a, tree):
    a = selectors.analysis(district_a, tree["500103"], YEAR)
    assert a.total == 13  # 沙坪坝 not included
    assert a.missing == [("七星岗街道", 3)]
    assert a.rate == pytest.approx(1.0)  # the 3 cases without population are left out of the rate
    children = {c.key: c for c in a.children}
    assert children["500103001"].rate is None and children["500103001"].count == 3


@pytest.mark.django_db
def test_no_population_no_division(unit_b, tree, data):
    a = selectors.analysis(unit_b, tree["500106001"], YEAR)
    assert a.total == 1 and a.rate is None and a.population == 0


@pytest.mark.django_db
def test_summary_and_records_agree(data, city_admin, dept_ga, tree, code):
    city = tree["500000"]
    fast = selectors.analysis(city_admin, city, YEAR)
    slow = selectors.analysis(city_admin, city, YEAR, area=code(choices.SAFETY_AREA, "home"))
    assert fast.source == "summary" and slow.source == "records"
    for dim in ("area", "age", "sex", "mechanism", "severity", "month"):
        assert [(r.key, r.count) for r in fast.breakdowns[dim]] == [(r.key, r.count) for r in slow.breakdowns[dim]]
    assert fast.map_values["500103"] == pytest.approx(1.0)
    assert {c.key for c in fast.children} == {"500103", "500106"}


@pytest.mark.django_db
def test_department_sees_its_areas_city_wide(data, dept_ga, tree, make_record, code):
    # 公安 guides traffic and public security (not home): the home cases are not its business.
    a = selectors.analysis(dept_ga, tree["500000"], YEAR)
    assert a.source == "records" and a.total == 0
    make_record("500106001", occurred_on=date(YEAR, 5, 5), safety_area=code(choices.SAFETY_AREA, "traffic"))
    assert selectors.analysis(dept_ga, tree["500000"], YEAR).total == 1


@pytest.mark.django_db
def test_obligation_counts_areas_with_records_or_nil_reports(data, tree, code):
    cu = CreatingUnit.objects.get(org_unit=tree["500103003"])
    cu2 = CreatingUnit.objects.get(org_unit=tree["500106002"])
    NilReport.objects.create(org_unit=tree["500103003"], safety_area=code(choices.SAFETY_AREA, "water"), month=date(YEAR, 1, 1))
    NilReport.objects.create(org_unit=tree["500103003"], safety_area=code(choices.SAFETY_AREA, "water"), month=date(YEAR, 2, 1))
    ids = [cu.pk, cu2.pk]
    counts = count_areas_covered(creating_unit_ids=ids, year=YEAR)
    assert counts[cu.pk] == 2  # home (records) + water (nil reports, counted once)
    assert cu2.pk not in counts


@pytest.mark.django_db
def test_monthly_figures(data, tree):
    cu = CreatingUnit.objects.get(org_unit=tree["500103003"])
    figures = monthly_figures(creating_unit_ids=[cu.pk], period=date(YEAR, 3, 1))
    assert figures[cu.pk]["injuries"] == 6 and figures[cu.pk]["injuries_home"] == 6
    assert monthly_figures(creating_unit_ids=[cu.pk], period=date(YEAR, 4, 1)) == {}
