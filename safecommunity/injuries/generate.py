"""Synthetic but realistic injury data for the demo and the scale benchmark: a mix by safety
area, mechanism, age and season loosely modelled on published Chinese hospital surveillance
(falls and traffic lead; the elderly fall at home; drownings peak in summer)."""

import random
from datetime import date, time, timedelta

from safecommunity.core.models import CodeItem

from . import choices
from .models import InjuryRecord, Population, PopulationCount

# area: (weight, age range, {mechanism: weight}, place, activity)
AREAS = {
    "home": (22, (1, 90), {"fall": 50, "cut": 20, "burn": 15, "blunt": 10, "poisoning": 5}, "home", "housework"),
    "traffic": (20, (5, 80), {"motor_vehicle": 60, "non_motor_vehicle": 40}, "road", "driving"),
    "elderly": (12, (60, 98), {"fall": 85, "blunt": 10, "burn": 5}, "home", "vital"),
    "workplace": (10, (18, 60), {"blunt": 35, "cut": 30, "fall": 25, "burn": 10}, "industrial", "work"),
    "public_place": (8, (10, 80), {"fall": 60, "blunt": 30, "cut": 10}, "trade_service", "leisure"),
    "children": (7, (0, 14), {"fall": 55, "burn": 20, "animal": 15, "blunt": 10}, "home", "leisure"),
    "sports": (6, (10, 60), {"fall": 50, "blunt": 50}, "sports", "sports"),
    "school": (5, (6, 18), {"fall": 60, "blunt": 40}, "school_public", "study"),
    "public_security": (4, (16, 70), {"blunt": 50, "cut": 50}, "road", "other"),
    "water": (2, (3, 60), {"drowning": 100}, "other", "leisure"),
    "fire": (2, (5, 85), {"burn": 80, "suffocation": 20}, "home", "vital"),
    "disaster_env": (2, (5, 85), {"blunt": 60, "fall": 40}, "other", "other"),
}
MONTH_WEIGHT = [9, 8, 8, 8, 8, 8, 10, 10, 8, 8, 8, 9]
SEVERITY = [("first_aid", 25), ("mild", 50), ("moderate", 18), ("severe", 6), ("death", 1)]
OUTCOME_BY_SEVERITY = {"first_aid": "discharged", "mild": "discharged", "moderate": "hospitalised",
                       "severe": "hospitalised", "death": "death"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英"]


class Codes:
    def __init__(self):
        self.by = {}
        for key in (choices.SAFETY_AREA, choices.MECHANISM, choices.PLACE, choices.ACTIVITY, choices.INTENT,
                    choices.NATURE, choices.BODY_PART, choices.SEVERITY, choices.OUTCOME):
            self.by[key] = dict(CodeItem.objects.of(key).values_list("code", "pk"))

    def __call__(self, key, code):
        return self.by[key][code]


def _weighted(rng, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


def record_factory(codes: Codes, rng: random.Random):
    areas = list(AREAS)
    area_weights = [AREAS[a][0] for a in areas]
    unintentional = codes(choices.INTENT, "unintentional")
    assault = codes(choices.INTENT, "assault")
    natures = list(codes.by[choices.NATURE].values())
    parts = list(codes.by[choices.BODY_PART].values())

    def make(org_unit_id: int, source_id: int, year: int, today: date, personal: bool = False) -> InjuryRecord:
        area = rng.choices(areas, weights=area_weights)[0]
        _w, (lo, hi), mechs, place, activity = AREAS[area]
        mech = _weighted(rng, mechs.items())
        month = rng.choices(range(1, 13), weights=[w * (3 if area == "water" and 6 <= m + 1 <= 8 else 1)
                                                   for m, w in enumerate(MONTH_WEIGHT)])[0]
        day = date(year, month, 1) + timedelta(days=rng.randrange(28))
        if day > today:
            day = today - timedelta(days=rng.randrange(1, 60))
        age = rng.randint(lo, hi)
        sev = _weighted(rng, SEVERITY)
        r = InjuryRecord(
            org_unit_id=org_unit_id, occurred_on=day, occurred_time=time(rng.randrange(24), rng.randrange(60)),
            age=age, age_band=choices.age_band(age), sex=rng.choice("MMF" if area in ("workplace", "traffic") else "MF"),
            safety_area_id=codes(choices.SAFETY_AREA, area), place_id=codes(choices.PLACE, place),
            activity_id=codes(choices.ACTIVITY, activity), mechanism_id=codes(choices.MECHANISM, mech),
            intent_id=assault if area == "public_security" else unintentional,
            nature_id=rng.choice(natures), body_part_id=rng.choice(parts),
            severity_id=codes(choices.SEVERITY, sev), outcome_id=codes(choices.OUTCOME, OUTCOME_BY_SEVERITY[sev]),
            source_id=source_id,
        )
        if personal:
            r.set_personal(name=rng.choice(SURNAMES) + rng.choice(GIVEN), phone=f"13{rng.randrange(10**9):09d}")
        return r

    return make


# Shares of the population by age band (Chongqing-like) and sex.
BAND_SHARES = {"0-4": 0.05, "5-14": 0.10, "15-24": 0.11, "25-44": 0.29, "45-59": 0.22, "60-74": 0.16, "75+": 0.07}


def population_objects(org_unit, year: int, total: int, workforce: int | None = None):
    """A Population and its PopulationCount rows (unsaved counts get population set by caller)."""
    pop = Population(org_unit=org_unit, year=year, total=0, workforce=workforce)
    counts = []
    for band, share in BAND_SHARES.items():
        for sex, s in (("M", 0.51), ("F", 0.49)):
            counts.append(PopulationCount(sex=sex, age_band=band, count=int(total * share * s)))
    pop.total = sum(c.count for c in counts)
    return pop, counts
