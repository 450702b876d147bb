"""The security pages and the menu ask security/permissions.py."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.security import permissions


def test_pages_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.user_security, "security:user")
    assert_rule_agrees(permissions.audit_verify, "security:audit_verify")
