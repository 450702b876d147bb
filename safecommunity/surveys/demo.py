"""Demo: the shipped questionnaires under the city office, and for 解放碑街道 an awareness round
(with answers) and a household injury round entered by an interviewer (idempotent)."""

import random
from datetime import date

from django.contrib.auth import get_user_model

from safecommunity.orgunits.models import OrgUnit

from . import services
from .models import Questionnaire, SurveyRound
from .shipped import shipped_install

ORDER = 70


def build(*, stdout):
    city = OrgUnit.objects.filter(level=OrgUnit.Level.CITY).first()
    unit = OrgUnit.objects.filter(code="500103003").first()
    if city is None or unit is None:
        return
    shipped_install(org_unit=city)
    worker = get_user_model().objects.filter(org_unit=unit, role="unit").first()
    if worker is None or SurveyRound.objects.filter(org_unit=unit).exists():
        return
    rng = random.Random(18)
    year = date.today().year
    aware = Questionnaire.objects.get(org_unit=city, family="awareness", version=1)
    # The baseline before the unit's projects began (a project measuring awareness compares with it).
    base_rng = random.Random(2025)
    base = services.round_save(survey_round=SurveyRound(
        org_unit=unit, questionnaire=aware, title=f"{year - 1}年居民安全社区知晓率基线调查",
        starts_on=date(year - 1, 1, 5), ends_on=date(year - 1, 1, 25)), actor=worker)
    for _i in range(50):
        known = base_rng.random() < 0.5
        answers = {"W1": ["1" if base_rng.random() < 0.6 else "2"], "W2": ["1" if known else "2"],
                   "J1": ["2"]}
        if known:
            answers["W3"] = ["1"]
        services.interview_response_submit(survey_round=base, answers=answers, actor=worker,
                                           sex=base_rng.choice("MF"), age_band=base_rng.choice(["25-44", "45-59", "60-74"]),
                                           channel="paper")
    services.round_close(survey_round=base, actor=worker)
    r = services.round_save(survey_round=SurveyRound(
        org_unit=unit, questionnaire=aware, title=f"{year}年居民安全社区知晓率和参与率调查",
        starts_on=date(year, 3, 1), ends_on=date(year, 3, 31)), actor=worker)
    for _i in range(60):
        w1 = "1" if rng.random() < 0.8 else "2"
        w2 = "1" if rng.random() < 0.7 else "2"
        j1 = "1" if rng.random() < 0.45 else "2"
        answers = {"W1": [w1], "W2": [w2], "J1": [j1]}
        if w2 == "1":
            answers["W3"] = ["1", "3"]
        if j1 == "1":
            answers["J2"] = [str(rng.randint(1, 4))]
        services.interview_response_submit(survey_round=r, answers=answers, actor=worker,
                                           sex=rng.choice("MF"), age_band=rng.choice(["15-24", "25-44", "45-59", "60-74"]),
                                           channel="paper")
    house = Questionnaire.objects.get(org_unit=city, family="household", version=1)
    h = services.round_save(survey_round=SurveyRound(
        org_unit=unit, questionnaire=house, title=f"{year}年入户伤害调查", starts_on=date(year, 5, 1),
        ends_on=date(year, 6, 30), sampling=SurveyRound.Sampling.CLUSTER, design_effect=2), actor=worker)
    for i in range(30):
        members = [(rng.choice("MF"), rng.randint(0, 85)) for _m in range(rng.randint(1, 5))]
        injuries = [(1, "fall", "home", "mild")] if i % 6 == 0 else []
        services.interview_response_submit(
            survey_round=h, answers={"H1": ["1"], "H2": ["1" if injuries else "2"], **({"H3": ["1"]} if injuries else {})},
            actor=worker, household=services.Household(members=members, injuries=injuries),
            household_label=f"A-{i + 1:03d}")
    stdout.write("surveys: demo rounds for 解放碑街道\n")
