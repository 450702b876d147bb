"""The follow-up pages, their API and the menu ask creation.follow_ups."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.creation import api, permissions


def test_follow_up_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.follow_ups, "creation:followup_list", api.FollowUpViewSet,
                       (api.FollowUpViewSet, "write_roles"))
