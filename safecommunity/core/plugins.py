"""Interfaces through which one app reads another's records without importing it.

1. Obligations (the compliance scorecard, issue 6). An app with records that a rule of the
   notice counts defines `<app>/obligations.py`:

       OBLIGATIONS = [Obligation(key="drills", label=_("At least 4 emergency drills a year"),
                                 default_minimum=4, count=count_drills, order=70)]

       def count_drills(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
           ...one aggregate query; returns {creating_unit_id: value} (missing ids mean 0)

   The scorecard app owns the per-year minimums (data the city edits; `default_minimum`
   seeds them) and the status: met (value >= minimum), due later this year (amber, before
   `due` month's end in the year), not met (red). `level="district"` rules get OrgUnit ids of
   districts in `creating_unit_ids`'s place.

2. Monthly figures (the monthly progress report, issue 7). An app defines
   `<app>/monthly_figures.py`:

       FIGURES = [Figure(key="drills", label=_("Drills held"), order=70), ...]

       def monthly_figures(*, creating_unit_ids: list[int], period: date) -> dict[int, dict[str, int]]:
           ...aggregate queries for the month starting at `period`; {unit_id: {key: value}}

   The reports app pre-fills each unit's report with these and reconciles them later.

Both are found with `core.registry.contributions("obligations" | "monthly_figures")`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Obligation:
    key: str
    label: Any
    default_minimum: int
    count: Callable[..., dict[int, int]]
    level: str = "unit"  # "unit" or "district"
    due_month: int = 12  # amber until the end of this month of the year, red after
    url: Callable[[Any, int], str] | None = None  # (creating unit or district OrgUnit, year) -> records link
    unit: Any = ""  # e.g. "次", "个"
    order: int = 100


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    order: int = 100
    unit: Any = ""
