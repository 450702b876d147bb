"""Rate and rate-ratio arithmetic against values worked out by hand (calculator, 4-5 digits)."""

from datetime import date, timedelta

import pytest

from safecommunity.injuries import selectors, services, stats


def test_rate_per_1000_and_missing_population():
    assert stats.rate_per_1000(25, 50000) == pytest.approx(0.5)
    assert stats.rate_per_1000(3, 0) is None
    assert stats.rate_per_1000(3, None) is None


def test_rate_ratio_reduced():
    # RR = (30/10000)/(50/10000) = 0.6; SE = sqrt(1/30 + 1/50) = 0.23094;
    # CI = exp(ln 0.6 ± 1.96·0.23094) = exp(-0.51083 ± 0.45264) = 0.38157 … 0.94348
    r = stats.rate_ratio(30, 10000, 50, 10000)
    assert r.ratio == pytest.approx(0.6)
    assert r.low == pytest.approx(0.38157, abs=1e-4)
    assert r.high == pytest.approx(0.94348, abs=1e-4)
    assert r.verdict == stats.REDUCED
    assert r.before_rate == pytest.approx(5.0) and r.after_rate == pytest.approx(3.0)


def test_rate_ratio_uses_person_time():
    # Same 20 cases, but half the person-time after: RR = (20/5000)/(20/10000) = 2.0;
    # SE = sqrt(0.1) = 0.31623; CI = 2·exp(±0.61981) = 1.07610 … 3.71714 -> increased
    r = stats.rate_ratio(20, 5000, 20, 10000)
    assert r.ratio == pytest.approx(2.0)
    assert r.low == pytest.approx(1.07610, abs=1e-4)
    assert r.high == pytest.approx(3.71714, abs=1e-4)
    assert r.verdict == stats.INCREASED


def test_rate_ratio_no_evidence():
    # RR = 0.9; SE = sqrt(1/45 + 1/50) = 0.20548; CI = 0.9·exp(±0.40274) = 0.60164 … 1.34633
    r = stats.rate_ratio(45, 10000, 50, 10000)
    assert r.low == pytest.approx(0.60164, abs=1e-4)
    assert r.high == pytest.approx(1.34633, abs=1e-4)
    assert r.verdict == stats.NO_CHANGE


def test_rate_ratio_zero_cases():
    r = stats.rate_ratio(0, 10000, 12, 10000)
    assert r.verdict == stats.INSUFFICIENT and r.low is None and r.ratio == 0
    assert stats.rate_ratio(3, 10000, 0, 10000).ratio is None
    with pytest.raises(ValueError):
        stats.rate_ratio(1, 0, 1, 10)


def test_person_years_across_a_leap_year():
    # 2023-07-01..2024-06-30: 184 days of 365 at 10,000 + 182 days of 366 at 12,000
    # = 5041.096 + 5967.213 = 11008.309
    py, missing = stats.person_years(date(2023, 7, 1), date(2024, 6, 30), {2023: 10000, 2024: 12000})
    assert py == pytest.approx(11008.309, abs=1e-2)
    assert missing == []
    py, missing = stats.person_years(date(2023, 7, 1), date(2024, 6, 30), {2023: 10000})
    assert missing == [2024]


@pytest.mark.django_db
def test_effect_end_to_end(unit_a, tree, make_record, code):
    from safecommunity.injuries import choices

    unit = tree["500103003"]
    for year in (2023, 2024):
        services.population_save(actor=unit_a, org_unit=unit, year=year, counts={("M", "25-44"): 5000, ("F", "25-44"): 5000})
    for i in range(50):
        make_record(occurred_on=date(2023, 1, 1) + timedelta(days=i * 7))
    for i in range(30):
        make_record(occurred_on=date(2024, 1, 1) + timedelta(days=i * 7))
    make_record(occurred_on=date(2024, 3, 3), mechanism=code(choices.MECHANISM, "burn"))  # filtered out below
    e = selectors.effect(unit_a, units=[unit], mechanism=code(choices.MECHANISM, "fall"),
                         before=(date(2023, 1, 1), date(2023, 12, 31)), after=(date(2024, 1, 1), date(2024, 12, 31)))
    r = e.ratio
    assert (r.before_cases, r.after_cases) == (50, 30)
    assert r.before_person_years == pytest.approx(10000) and r.after_person_years == pytest.approx(10000)
    assert r.ratio == pytest.approx(0.6) and r.verdict == stats.REDUCED


@pytest.mark.django_db
def test_effect_says_when_population_is_missing(unit_a, tree, make_record):
    e = selectors.effect(unit_a, units=[tree["500103003"]], before=(date(2023, 1, 1), date(2023, 12, 31)),
                         after=(date(2024, 1, 1), date(2024, 12, 31)))
    assert e.ratio is None and ("解放碑街道", 2023) in e.missing
