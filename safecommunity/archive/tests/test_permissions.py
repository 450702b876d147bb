"""The archive pages, the API and the menu ask the same rules (archive/permissions.py)."""

from safecommunity.archive import api, permissions
from safecommunity.core.testing import assert_rule_agrees


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "archive:attachment_list",
                       "archive:attachment_verify", "archive:binder", api.AttachmentViewSet)
    assert_rule_agrees(permissions.write, "archive:file_document", "archive:attachment_edit",
                       (api.AttachmentViewSet, "write_roles"))
