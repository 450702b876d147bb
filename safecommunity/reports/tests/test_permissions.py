"""The report pages, the API and the menu ask the same rules (reports/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.reports import permissions


def test_pages_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.write, "reports:report_create", "reports:report_edit")
    assert_rule_agrees(permissions.city_summary, "reports:city_summary")
    assert_rule_agrees(permissions.deadlines, "reports:deadline_create")
