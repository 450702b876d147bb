"""Survey arithmetic against hand-computed values."""

import math

import pytest

from safecommunity.surveys import stats


def test_sample_size_for_a_proportion():
    # n0 = 1.96² · 0.5 · 0.5 / 0.05² = 384.16 → 384
    assert stats.sample_size(None) == 384
    # n = 384.16 / (1 + 383.16 / 20000) = 376.9 → 377
    assert stats.sample_size(20_000) == 377
    # a cluster sample with design effect 2 doubles it
    assert stats.sample_size(20_000, design_effect=2) == 754
    # a small population needs far fewer
    assert stats.sample_size(500) == 217


def test_wilson_interval_matches_the_hand_computed_value():
    # 80 of 100: centre (0.8 + 1.9208/100) / 1.038416 = 0.78891; half-width
    # 1.96 · sqrt(0.0016 + 0.00009604) / 1.038416 = 0.07773 → 0.7112 – 0.8666
    p = stats.wilson(80, 100)
    assert p.value == 0.8
    assert p.low == pytest.approx(0.7112, abs=1e-4)
    assert p.high == pytest.approx(0.8666, abs=1e-4)
    assert p.as_text() == "80.0%（95%CI 71.1%–86.7%），n=100"
    assert stats.wilson(0, 0).value is None
    zero = stats.wilson(0, 20)
    assert zero.low == 0 and zero.high == pytest.approx(0.1611, abs=1e-4)


def test_two_proportion_test():
    # 60/100 before, 75/100 after: pooled 0.675, se = sqrt(0.675·0.325·0.02) = 0.06624, z = 2.2646
    d = stats.two_proportion_test(stats.wilson(60, 100), stats.wilson(75, 100))
    assert d.change == pytest.approx(0.15)
    assert d.z == pytest.approx(2.2646, abs=1e-3)
    assert d.p_value == pytest.approx(0.0235, abs=1e-3)
    assert d.significant
    assert not stats.two_proportion_test(stats.wilson(60, 100), stats.wilson(62, 100)).significant


def test_incidence_per_1000_with_its_interval():
    # 12 injuries among 400 persons over 12 months: 30 per 1,000; Byar's limits of 12 are 6.20 and 20.96
    inc = stats.incidence_per_1000(12, 400, 12)
    assert inc.rate == pytest.approx(30.0)
    assert inc.low == pytest.approx(1000 * 6.20 / 400, abs=0.05)
    assert inc.high == pytest.approx(1000 * 20.96 / 400, abs=0.05)
    # a 6-month recall counts half a person-year each
    assert stats.incidence_per_1000(6, 400, 6).rate == pytest.approx(30.0)
    assert stats.incidence_per_1000(0, 100).low == 0
    assert stats.incidence_per_1000(0, 100).high == pytest.approx(1000 * -math.log(0.025) / 100)
