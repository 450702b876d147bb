"""One rule per thing: the page, the API and the menu entry ask the same rule of
evaluation/permissions.py, and the buttons on an application follow its one transition table."""

import pytest

from safecommunity.core.permissions import can
from safecommunity.core.testing import assert_rule_agrees
from safecommunity.evaluation import api, permissions
from safecommunity.evaluation.views import applications, scoring


def test_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.view, "evaluation:application_list", "evaluation:scheme_list",
                       "evaluation:application_detail", api.ApplicationViewSet, api.SchemeViewSet)
    assert_rule_agrees(permissions.designations, "evaluation:designation_list", "evaluation:designation_detail",
                       "evaluation:certificate", api.DesignationViewSet)
    assert_rule_agrees(permissions.funds, "evaluation:fund_list", "evaluation:fund_detail", api.FundViewSet)
    assert_rule_agrees(permissions.rewards, "evaluation:reward_list", "evaluation:reward_paid", api.RewardViewSet)
    assert_rule_agrees(permissions.rectify, "evaluation:rectification_done", (api.RectificationViewSet, "write_roles"))
    assert_rule_agrees(permissions.settings, "evaluation:policy", "evaluation:reward_rate", "evaluation:expert_list",
                       "evaluation:scheme_edit", "evaluation:scheme_import", "evaluation:item_edit")
    assert_rule_agrees(permissions.apply, "evaluation:crosswalk", "evaluation:application_start")
    assert_rule_agrees(permissions.review, applications.ReviewView)
    assert_rule_agrees(permissions.assign, applications.PanelView)
    assert_rule_agrees(permissions.score, scoring.ExpertScoreView)
    assert_rule_agrees(permissions.consolidate, scoring.ConsolidateView)
    assert_rule_agrees(permissions.confirm, applications.ConfirmView)
    assert_rule_agrees(permissions.edit_self, scoring.SelfAssessView, applications.ReportFormView)


def test_a_rule_that_disagrees_is_named():
    with pytest.raises(AssertionError, match="evaluation:reward_list"):
        assert_rule_agrees(permissions.funds, "evaluation:reward_list")


@pytest.mark.django_db
def test_buttons_follow_the_transition_table(submitted, unit_a, district_a, district_b, city_admin, client_for):
    assert not can(unit_a, "evaluation.review", submitted) and can(district_a, "evaluation.review", submitted)
    assert can(district_a, "evaluation.review") and not can(district_b, "evaluation.review", submitted)
    assert not can(district_a, "evaluation.edit_self", submitted)  # submitted: no more self-assessment
    page = client_for(district_a).get(submitted.get_absolute_url()).content.decode()
    assert f"/evaluation/{submitted.pk}/review/" in page
    page = client_for(unit_a).get(submitted.get_absolute_url()).content.decode()
    assert f"/evaluation/{submitted.pk}/review/" not in page
    assert f"/evaluation/{submitted.pk}/self-assessment/" not in page
    assert client_for(unit_a).get(f"/evaluation/{submitted.pk}/self-assessment/").status_code == 403


@pytest.mark.django_db
def test_the_role_is_asked_before_the_scheme_is_fetched(client, national, district_a, client_for):
    response = client.get(f"/evaluation/schemes/{national.pk}/items/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(district_a).get(f"/evaluation/schemes/{national.pk}/items/new/").status_code == 403
