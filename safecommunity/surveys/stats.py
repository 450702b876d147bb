"""Survey arithmetic, pure functions.

Sample size for a proportion (Cochran), with the finite population correction and a design
effect for cluster samples:

    n0 = z² p (1−p) / e²             (z = 1.96, p = 0.5, e = 0.05 → 384)
    n  = n0 / (1 + (n0 − 1) / N)     (N = 20,000 → 377)
    n' = n × deff

Figures are rounded to the nearest whole respondent, as the tables of the field quote them
(384.16 → 384).

A proportion x/n with its Wilson score 95% interval; the difference of two proportions with the
pooled two-proportion z-test; an incidence per 1,000 person-years with an exact-enough Poisson
interval (Byar's approximation).
"""

import math
from dataclasses import dataclass

Z95 = 1.96


def _round(x: float) -> int:
    return int(math.floor(x + 0.5))


def sample_size(population: int | None = None, *, z: float = Z95, p: float = 0.5, margin: float = 0.05,
                design_effect: float = 1.0) -> int:
    n0 = z * z * p * (1 - p) / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population) if population else n0
    return _round(_round(n) * design_effect) if design_effect != 1 else _round(n)


@dataclass(frozen=True)
class Proportion:
    yes: int
    n: int
    low: float | None
    high: float | None

    @property
    def value(self) -> float | None:
        return self.yes / self.n if self.n else None

    def as_text(self) -> str:
        if not self.n:
            return "—"
        return f"{self.value:.1%}（95%CI {self.low:.1%}–{self.high:.1%}），n={self.n}"


def wilson(yes: int, n: int, z: float = Z95) -> Proportion:
    if n <= 0:
        return Proportion(yes, 0, None, None)
    p = yes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return Proportion(yes, n, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Difference:
    before: Proportion
    after: Proportion
    z: float | None
    p_value: float | None

    @property
    def change(self) -> float | None:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 0.05


def two_proportion_test(before: Proportion, after: Proportion) -> Difference:
    """Pooled two-proportion z-test of after − before; two-sided p-value."""
    if not before.n or not after.n:
        return Difference(before, after, None, None)
    pooled = (before.yes + after.yes) / (before.n + after.n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / before.n + 1 / after.n))
    if se == 0:
        return Difference(before, after, None, None)
    z = (after.yes / after.n - before.yes / before.n) / se
    return Difference(before, after, z, math.erfc(abs(z) / math.sqrt(2)))


@dataclass(frozen=True)
class Incidence:
    cases: int
    person_years: float
    rate: float | None  # per 1,000 person-years
    low: float | None
    high: float | None

    def as_text(self) -> str:
        if self.rate is None:
            return "—"
        return f"{self.rate:.1f}‰（95%CI {self.low:.1f}–{self.high:.1f}）"


def poisson_limits(cases: int, z: float = Z95) -> tuple[float, float]:
    """95% limits of a Poisson count (Byar)."""
    if cases == 0:
        return 0.0, -math.log(0.025)  # exact upper limit for 0 events: 3.689
    a = cases
    low = a * (1 - 1 / (9 * a) - z / (3 * math.sqrt(a))) ** 3
    b = a + 1
    high = b * (1 - 1 / (9 * b) + z / (3 * math.sqrt(b))) ** 3
    return low, high


def incidence_per_1000(cases: int, persons: int, recall_months: int = 12) -> Incidence:
    """Annual incidence per 1,000 persons from `cases` in a recall period of `recall_months`."""
    person_years = persons * recall_months / 12
    if person_years <= 0:
        return Incidence(cases, 0.0, None, None, None)
    low, high = poisson_limits(cases)
    k = 1000 / person_years
    return Incidence(cases, person_years, cases * k, low * k, high * k)
