"""The org-unit pages, the API and the menu ask the same rules (orgunits/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.orgunits import api, permissions


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "orgunits:orgunit_list", "orgunits:creatingunit_list",
                       "orgunits:department_list", "orgunits:orgunit_detail", api.OrgUnitViewSet,
                       api.CreatingUnitViewSet, api.DepartmentViewSet)
    assert_rule_agrees(permissions.admin, "orgunits:orgunit_create", "orgunits:orgunit_edit")
    assert_rule_agrees(permissions.creating_unit_edit, "orgunits:creatingunit_edit")
