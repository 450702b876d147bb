"""The demo data of surveys and inspections builds, and building twice changes nothing."""

import io

from safecommunity.inspections import demo as inspections_demo
from safecommunity.inspections.models import FollowUpItem, InspectionPlan
from safecommunity.surveys import demo as surveys_demo
from safecommunity.surveys import selectors
from safecommunity.surveys.models import Response, SurveyRound


def test_demo_builds_once(tree, unit_a, district_a, city_admin):
    for _i in range(2):
        surveys_demo.build(stdout=io.StringIO())
        inspections_demo.build(stdout=io.StringIO())
    assert SurveyRound.objects.count() == 3  # a baseline last year, this year's awareness and household rounds
    assert Response.objects.count() == 140
    household = SurveyRound.objects.get(questionnaire__family="household")
    result = selectors.household_incidence(household.responses.all(), household.recall_months)
    assert result.total.cases == 5 and result.total.rate is not None
    assert InspectionPlan.objects.count() == 1 and FollowUpItem.objects.count() == 2
