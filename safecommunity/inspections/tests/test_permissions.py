"""The inspection pages, the API and the menu ask the same rules (inspections/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.inspections import api, permissions


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "inspections:inspection_list", "inspections:inspection_detail",
                       "inspections:followup_list", "inspections:followup_detail", "inspections:review_list",
                       api.InspectionViewSet, api.FollowUpViewSet)
    assert_rule_agrees(permissions.plan, "inspections:plan_list", "inspections:plan_create", "inspections:plan_edit",
                       "inspections:plan_detail", "inspections:inspection_add", "inspections:inspection_record",
                       "inspections:ranking")
    assert_rule_agrees(permissions.close, "inspections:followup_close")
    assert_rule_agrees(permissions.review_write, "inspections:review_create", "inspections:review_edit")
    assert_rule_agrees(permissions.review_read, "inspections:review_detail")
