"""The feed pages, the API and the menu ask the same rules (feeds/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.feeds import api, permissions, services


def test_pages_api_menu_and_services_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "feeds:upload_list", "feeds:upload_detail", "feeds:case_list",
                       "feeds:card_export", api.UploadViewSet, api.CaseViewSet)
    assert_rule_agrees(permissions.write, "feeds:upload_create", "feeds:upload_columns", "feeds:upload_import",
                       "feeds:upload_undo", "feeds:case_place", "feeds:token_list", "feeds:token_create")
    assert_rule_agrees(permissions.mappings, "feeds:valuemap_list")
    assert_rule_agrees(permissions.mapping_edit, "feeds:valuemap_create", "feeds:valuemap_update",
                       "feeds:valuemap_delete")
    assert frozenset(services.WRITE_ROLES) == permissions.write.roles
