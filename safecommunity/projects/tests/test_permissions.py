"""The project pages, the API and the menu ask the same rules (projects/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.projects import api, permissions


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "projects:project_list", "projects:project_detail",
                       "projects:evaluation_list", "projects:evaluation_detail", api.ProjectViewSet,
                       api.IndicatorViewSet, api.EvaluationViewSet)
    assert_rule_agrees(permissions.write, "projects:project_create", "projects:project_edit",
                       "projects:project_transition", "projects:indicator_create", "projects:evaluation_create",
                       (api.ProjectViewSet, "write_roles"))
