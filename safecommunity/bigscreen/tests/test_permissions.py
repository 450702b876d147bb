"""The big screen's page, data and menu entry ask one rule (bigscreen/permissions.py)."""

from safecommunity.bigscreen import permissions
from safecommunity.core.testing import assert_rule_agrees


def test_page_data_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "bigscreen:city", "bigscreen:city_data", "bigscreen:district",
                       "bigscreen:district_data")
