"""The activity pages, the API and the menu ask the same rules (activities/permissions.py)."""

from safecommunity.activities import api, permissions
from safecommunity.core.testing import assert_rule_agrees


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "activities:activity_list", "activities:meeting_list",
                       "activities:plan_list", "activities:equipment_list", "activities:team_list",
                       "activities:drill_list", api.TeamMemberViewSet)
    assert_rule_agrees(permissions.write, "activities:activity_create", "activities:member_add",
                       "activities:member_remove", (api.TeamMemberViewSet, "write_roles"))
