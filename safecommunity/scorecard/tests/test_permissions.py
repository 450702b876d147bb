"""The scorecard pages, the API and the menu ask the same rules (scorecard/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.scorecard import api, permissions


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "scorecard:unit", api.ScorecardViewSet, api.RuleSettingViewSet)
    assert_rule_agrees(permissions.districts, "scorecard:district", api.DistrictScorecardViewSet)
    assert_rule_agrees(permissions.city, "scorecard:city")
    assert_rule_agrees(permissions.rules, "scorecard:rules", "scorecard:rule_edit",
                       (api.RuleSettingViewSet, "write_roles"))
