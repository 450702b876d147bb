"""The survey pages, the API and the menu ask the same rules (surveys/permissions.py)."""

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.surveys import api, permissions


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.design, "surveys:questionnaire_list", "surveys:questionnaire_create",
                       "surveys:questionnaire_detail", "surveys:questionnaire_edit", "surveys:question_create",
                       "surveys:question_delete", api.QuestionnaireViewSet)
    assert_rule_agrees(permissions.install, "surveys:shipped_install")
    assert_rule_agrees(permissions.field, "surveys:round_list", "surveys:round_create", "surveys:round_detail",
                       "surveys:round_close", "surveys:round_invitations", "surveys:interview", "surveys:round_import",
                       "surveys:rollup", api.RoundViewSet)
    assert_rule_agrees(permissions.results, "surveys:round_results")
