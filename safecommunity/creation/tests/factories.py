"""Helpers that bring creating units to a status through the real services."""

from datetime import date

from safecommunity.creation.services import creating_unit_transition
from safecommunity.orgunits.models import CreatingUnit

PATHS = {
    "not_started": [],
    "launched": ["launched"],
    "applied": ["launched", "applied"],
    "returned": ["launched", "applied", "returned"],
    "city": ["launched", "applied", "city"],
    "national": ["launched", "applied", "city", "national"],
    "international": ["launched", "applied", "city", "national", "international"],
    "expired": ["launched", "applied", "city", "expired"],
}


def bring_to(code: str, status: str, *, city, on: date = date(2025, 3, 1)) -> CreatingUnit:
    """Move the unit with this org-unit code along the lifecycle up to `status` (as the city office)."""
    unit = CreatingUnit.objects.get(org_unit__code=code)
    for step in PATHS[status]:
        creating_unit_transition(unit=unit, to=step, actor=city, effective_on=on, reason="测试")
        unit.refresh_from_db()
    return unit
