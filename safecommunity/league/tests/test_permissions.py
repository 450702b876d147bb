"""The league table's page and menu, and its weights' page and service, ask the same rules."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.league import permissions


def test_pages_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "league:table")
    assert_rule_agrees(permissions.weights, "league:weights")
