"""The compliance scorecard, computed from the records through each app's `obligations.py`.

Batch by design: each rule's `count` runs once for all the units asked about (one aggregate
query per rule), whether for one unit, a district's ranking or the whole city.
"""

import calendar
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.db.models import Q
from django.utils import timezone

from safecommunity.core.figures_cache import cached_figures, cached_figures_many, common_node
from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import contributions
from safecommunity.core.scoping import path_codes
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from .models import RuleSetting

MET, DUE, NOT_MET = "met", "due", "not_met"
logger = logging.getLogger(__name__)


def all_obligations() -> list[Obligation]:
    found = [o for module in contributions("obligations") for o in getattr(module, "OBLIGATIONS", [])]
    return sorted(found, key=lambda o: (o.order, o.key))


def depends_on(obligation: Obligation) -> tuple[str, ...]:
    """The models whose tables the obligation's count reads: its module's DEPENDS_ON."""
    for module in contributions("obligations"):
        if obligation in getattr(module, "OBLIGATIONS", []):
            return tuple(getattr(module, "DEPENDS_ON", ()))
    return ()


def _count_ask(obligation: Obligation, ids: list[int], year: int, level: str, node: str = "") -> dict | None:
    """How the obligation's count for these units is kept in the figures cache until a model it
    reads changes (every unit and district home shows a scorecard; the counts change with writes
    only); None where the obligation names no models (computed every time)."""
    depends = depends_on(obligation)
    if not depends:
        return None
    units = hashlib.sha1(",".join(map(str, sorted(ids))).encode()).hexdigest()
    return {"name": f"obligation.{obligation.key}", "scope": f"{level}:{year}:{timezone.localdate()}:{units}",
            "depends_on": depends, "node": node,
            "compute": partial(obligation.count, creating_unit_ids=ids, year=year)}


def _counts(rules: list, ids: list[int], year: int, level: str, node: str) -> dict[str, dict[int, int]]:
    """Each rule's counts for these units: the cached ones read together, the rest computed; a rule
    whose count fails is left off (one app's broken rule must not take every scorecard down)."""
    if not ids:
        return {r.key: {} for r in rules}
    asks = {r.key: _count_ask(r.obligation, ids, year, level, node) for r in rules}
    try:
        kept = [r for r in rules if asks[r.key] is not None]
        counts = dict(zip([r.key for r in kept], cached_figures_many([asks[r.key] for r in kept]), strict=True))
    except Exception:  # find the broken one: each on its own
        counts = {}
    for r in rules:
        if r.key in counts:
            continue
        try:
            ask = asks[r.key]
            counts[r.key] = cached_figures(**ask) if ask is not None else r.obligation.count(
                creating_unit_ids=ids, year=year)
        except Exception:
            logger.exception("scorecard rule %s failed; left off", r.key)
    return counts


@dataclass
class Rule:
    obligation: Obligation
    minimum: int
    is_active: bool = True
    setting: RuleSetting | None = None

    @property
    def key(self) -> str:
        return self.obligation.key

    @property
    def label(self) -> str:
        return str(self.obligation.label)

    @property
    def level(self) -> str:
        return self.obligation.level


def rules_for(year: int, *, include_inactive: bool = False) -> list[Rule]:
    """Every rule with its minimum for `year` (the city's setting, else the default)."""
    settings = {s.key: s for s in RuleSetting.objects.filter(year=year)}
    rules = []
    for o in all_obligations():
        s = settings.get(o.key)
        rule = Rule(o, s.minimum if s else o.default_minimum, s.is_active if s else True, s)
        if rule.is_active or include_inactive:
            rules.append(rule)
    return rules


def status_for(value: int, minimum: int, obligation: Obligation, year: int, today: date | None = None) -> str:
    if value >= minimum:
        return MET
    today = today or timezone.localdate()
    month = min(max(obligation.due_month, 1), 12)
    deadline = date(year, month, calendar.monthrange(year, month)[1])
    return DUE if today <= deadline else NOT_MET


@dataclass
class RuleResult:
    rule: Rule
    value: int
    status: str
    org_unit: OrgUnit | None = None
    year: int = 0

    @property
    def url(self) -> str:
        """The link to the records behind the figure (built on demand: roll-ups rarely need it)."""
        return _url(self.rule.obligation, self.org_unit, self.year) if self.org_unit is not None else ""

    @property
    def is_met(self) -> bool:
        return self.status == MET


@dataclass
class Scorecard:
    unit: Any  # CreatingUnit, or a district OrgUnit for district-level rules
    org_unit: OrgUnit
    year: int
    results: list[RuleResult] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(r.is_met for r in self.results)

    @property
    def due(self) -> int:
        return sum(r.status == DUE for r in self.results)

    @property
    def not_met(self) -> int:
        return sum(r.status == NOT_MET for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def pct(self) -> int:
        return round(100 * self.met / self.total) if self.total else 0


def _url(obligation, unit, year) -> str:
    return obligation.url(unit, year) if obligation.url else ""


def scorecards(units: list, year: int, *, level: str = "unit", rules: list[Rule] | None = None,
               today: date | None = None) -> list[Scorecard]:
    """Scorecards of many units (CreatingUnits for level "unit", district OrgUnits for "district")."""
    rules = [r for r in (rules if rules is not None else rules_for(year)) if r.level == level]
    cards = []
    ids = [u.pk for u in units]
    # the subtree holding every unit asked about: the counts read its records only
    node = common_node([(u.org_unit if level == "unit" else u).path for u in units])
    counts = _counts(rules, ids, year, level, node)
    rules = [r for r in rules if r.key in counts]
    for u in units:
        org_unit = u.org_unit if level == "unit" else u
        card = Scorecard(unit=u, org_unit=org_unit, year=year)
        for r in rules:
            value = int(counts[r.key].get(u.pk, 0) or 0)
            card.results.append(RuleResult(r, value, status_for(value, r.minimum, r.obligation, year, today),
                                           org_unit, year))
        cards.append(card)
    return cards


def in_creation(year: int) -> Q:
    """Units that are creating in `year`: launched (or further) and not launched after it."""
    return ~Q(status=CreatingUnit.Status.NOT_STARTED) & (Q(launch_year__isnull=True) | Q(launch_year__lte=year))


def unit_scorecard(creating_unit: CreatingUnit, year: int, **kwargs) -> Scorecard:
    return scorecards([creating_unit], year, **kwargs)[0]


def district_ranking(user, district: OrgUnit, year: int, **kwargs) -> dict:
    """The district's units in creation ranked by rules met, and the district's own rules."""
    units = list(CreatingUnit.objects.visible_to(user).under(district).filter(in_creation(year))
                 .select_related("org_unit"))
    rules = rules_for(year)
    cards = scorecards(units, year, rules=rules, **kwargs)
    cards.sort(key=lambda c: (-c.met, c.org_unit.code))
    district_card = scorecards([district], year, level="district", rules=rules, **kwargs)[0]
    return {"district": district, "cards": cards, "district_card": district_card,
            "rules": [r for r in rules if r.level == "unit"]}


def city_rollup(user, year: int, **kwargs) -> list[dict]:
    """Per district: units in creation, rules met by them in all, fully compliant units, and the
    district-level rules; ranked by the share of rules met. Batch queries for the whole city."""
    rules = rules_for(year)
    units = list(CreatingUnit.objects.visible_to(user).filter(in_creation(year)).select_related("org_unit"))
    districts = list(OrgUnit.objects.visible_to(user).districts())
    cards = scorecards(units, year, rules=rules, **kwargs)
    district_cards = {c.unit.pk: c for c in scorecards(districts, year, level="district", rules=rules, **kwargs)}
    by_district: dict[str, list[Scorecard]] = {}
    for c in cards:
        by_district.setdefault(path_codes(c.org_unit)[1], []).append(c)
    rows = []
    for d in districts:
        own = by_district.get(d.code, [])
        met = sum(c.met for c in own)
        total = sum(c.total for c in own)
        rows.append({
            "district": d, "units": len(own), "rules_met": met, "rules_total": total,
            "pct": round(100 * met / total) if total else 0,
            "compliant": sum(c.met == c.total and c.total > 0 for c in own),
            "district_card": district_cards[d.pk],
        })
    rows.sort(key=lambda r: (-r["pct"], -r["units"], r["district"].code))
    return rows
