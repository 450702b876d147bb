from datetime import date

import pytest

from safecommunity.orgunits.models import OrgUnit
from safecommunity.surveys import services
from safecommunity.surveys.models import Questionnaire, SurveyRound
from safecommunity.surveys.shipped import shipped_install


@pytest.fixture
def shipped(tree, city_admin):
    city = OrgUnit.objects.get(level=OrgUnit.Level.CITY)
    shipped_install(org_unit=city, actor=city_admin)
    return {q.family: q for q in Questionnaire.objects.filter(org_unit=city)}


@pytest.fixture
def make_round(shipped, unit_a):
    def make(family="awareness", user=None, **kwargs):
        values = {"org_unit": (user or unit_a).org_unit, "questionnaire": shipped[family],
                  "title": f"{family} round", "starts_on": date(2026, 3, 1), "ends_on": date(2026, 3, 31)}
        values.update(kwargs)
        return services.round_save(survey_round=SurveyRound(**values), actor=user or unit_a)

    return make
