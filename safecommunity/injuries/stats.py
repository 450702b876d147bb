"""Rate arithmetic: rates per 1,000 population (or person-years) and the rate ratio of an
after period to a before period with its 95% confidence interval (log method):

    RR = (a / PT_after) / (b / PT_before)
    95% CI = exp( ln(RR) ± 1.96 · sqrt(1/a + 1/b) )

a, b are the case counts after and before; PT the person-years at risk. Pure functions."""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

Z95 = 1.96


def rate_per_1000(count: int, population: float | None) -> float | None:
    """None (not zero) when there is no population to divide by."""
    if not population:
        return None
    return 1000.0 * count / population


def overlap_days(start: date, end: date, year: int) -> int:
    """Days of [start, end] (inclusive) that fall in `year`."""
    lo = max(start, date(year, 1, 1))
    hi = min(end, date(year, 12, 31))
    return max(0, (hi - lo).days + 1)


def days_in_year(year: int) -> int:
    return 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365


def person_years(start: date, end: date, population_by_year: dict[int, float]) -> tuple[float, list[int]]:
    """Person-years of [start, end] given the population of each calendar year; also the years
    with no population (the caller must not compute a rate then)."""
    total = 0.0
    missing = []
    for year in range(start.year, end.year + 1):
        days = overlap_days(start, end, year)
        if not days:
            continue
        pop = population_by_year.get(year)
        if not pop:
            missing.append(year)
            continue
        total += pop * days / days_in_year(year)
    return total, missing


REDUCED = "reduced"
NO_CHANGE = "no_change"
INCREASED = "increased"
INSUFFICIENT = "insufficient"

VERDICTS = {
    REDUCED: _("Reduced: the injury rate after is lower than before, beyond chance (95% CI below 1)."),
    NO_CHANGE: _("No evidence of change: the 95% confidence interval includes 1."),
    INCREASED: _("Increased: the injury rate after is higher than before, beyond chance (95% CI above 1)."),
    INSUFFICIENT: _("Not enough cases to judge: a period has no cases, so no confidence interval can be computed."),
}


@dataclass(frozen=True)
class RateRatio:
    after_cases: int
    after_person_years: float
    before_cases: int
    before_person_years: float
    ratio: float | None
    low: float | None
    high: float | None
    verdict: str

    @property
    def before_rate(self) -> float | None:
        return rate_per_1000(self.before_cases, self.before_person_years)

    @property
    def after_rate(self) -> float | None:
        return rate_per_1000(self.after_cases, self.after_person_years)

    @property
    def verdict_text(self) -> str:
        return str(VERDICTS[self.verdict])


def rate_ratio(a: int, pt_after: float, b: int, pt_before: float) -> RateRatio:
    """Rate ratio after/before with a 95% CI by the log method."""
    if pt_after <= 0 or pt_before <= 0:
        raise ValueError("person-time must be positive")
    if a == 0 or b == 0:
        ratio = (a / pt_after) / (b / pt_before) if b else None
        return RateRatio(a, pt_after, b, pt_before, ratio, None, None, INSUFFICIENT)
    ratio = (a / pt_after) / (b / pt_before)
    se = math.sqrt(1 / a + 1 / b)
    low = math.exp(math.log(ratio) - Z95 * se)
    high = math.exp(math.log(ratio) + Z95 * se)
    verdict = REDUCED if high < 1 else INCREASED if low > 1 else NO_CHANGE
    return RateRatio(a, pt_after, b, pt_before, ratio, low, high, verdict)
