"""The patrol pages, the API and the menu ask the same rules (patrols/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.patrols import api, permissions


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "patrols:point_list", "patrols:patrol_list", "patrols:point_detail",
                       "patrols:patrol_detail", "patrols:qr_sheet", "patrols:due", api.PatrolPointViewSet,
                       api.PatrolViewSet)
    assert_rule_agrees(permissions.manage, "patrols:point_create", "patrols:point_edit")
    assert_rule_agrees(permissions.patrol, "patrols:scan")

