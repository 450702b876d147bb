"""The arithmetic of the league table, apart from where the figures come from: a weighted
mean of the indicators an entity has (0–100 each), ranks (equal scores share a rank: 1, 2, 2, 4)
and the change from last quarter (positive: moved up)."""

from dataclasses import dataclass, field


@dataclass
class Row:
    key: str  # the org unit's code
    name: str
    values: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None
    previous_rank: int | None = None

    @property
    def change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


def score(values: dict[str, float | None], weights: dict[str, int]) -> float | None:
    """Σ wᵢ·vᵢ / Σ wᵢ over the indicators with a value and a weight; None if there is none."""
    pairs = [(weights.get(k, 0), v) for k, v in values.items() if v is not None and weights.get(k, 0) > 0]
    total = sum(w for w, _v in pairs)
    if not total:
        return None
    return round(sum(w * v for w, v in pairs) / total, 2)


def rank(rows: list[Row], weights: dict[str, int], previous: dict[str, int] | None = None) -> list[Row]:
    """Score and rank `rows` in place; returns them best first (no score: last, unranked)."""
    for r in rows:
        r.score = score(r.values, weights)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.key))
    position, last = 0, None
    for i, r in enumerate(rows, start=1):
        if r.score is None:
            r.rank = None
            continue
        if r.score != last:
            position, last = i, r.score
        r.rank = position
        if previous is not None:
            r.previous_rank = previous.get(r.key)
    return rows
