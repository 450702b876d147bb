"""Page, button and API ask the same rule of creation/permissions.py: for each role, what the rule
answers is what the page shows (a section or a button), what the page behind the button admits
and what the API does."""

import pytest
from django.utils import timezone

from safecommunity.core.testing import assert_rule_agrees
from safecommunity.creation import api, permissions
from safecommunity.creation.services import letter_save
from safecommunity.orgunits.models import OrgUnit

from .conftest import pdf, unit

API = "/api/v1/creation"
ROLES = ["city_admin", "district_a", "district_b", "unit_a", "dept_ga", "expert", "sysadmin"]


def test_follow_up_pages_api_and_menu_admit_the_same_roles():
    assert_rule_agrees(permissions.follow_ups, "creation:followup_list", api.FollowUpViewSet,
                       (api.FollowUpViewSet, "write_roles"))


def test_the_pages_behind_the_buttons_admit_the_rules_roles():
    assert_rule_agrees(permissions.plan_edit, "creation:plan_edit", "creation:district_plan_edit",
                       (api.PlanYearViewSet, "write_roles"), (api.DistrictPlanViewSet, "write_roles"))
    assert_rule_agrees(permissions.letter_edit, "creation:letter_create", "creation:letter_edit",
                       (api.LetterViewSet, "write_roles"))
    assert_rule_agrees(permissions.follow_up_reopen, "creation:followup_reopen")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_plan_targets_page_and_api_agree(request, client_for, api_client_for, plan, role):
    user = request.getfixturevalue(role)
    expected = permissions.plan_targets(user)
    page = client_for(user).get("/creation/plans/2026/")
    shown = page.status_code == 200 and 'id="targets-chart"' in page.content.decode()
    table = api_client_for(user).get(f"{API}/plans/2026/table/")
    in_api = table.status_code == 200 and "targets" in table.json()
    assert shown == in_api == expected, role
    edit_button = page.status_code == 200 and "/creation/plans/2026/edit/" in page.content.decode()
    edit_page = client_for(user).get("/creation/plans/2026/edit/").status_code == 200
    assert edit_button == edit_page == permissions.plan_edit(user), role


@pytest.fixture
def letters(city_admin, district_a, tree):
    today = timezone.localdate()
    common = {"year": 2026, "targets": "启动4个", "upper_signatory": "张主任", "lower_signatory": "区长",
              "signed_on": today}
    return [
        letter_save(actor=city_admin, level="city_district", org_unit=OrgUnit.objects.get(code="500103"), **common),
        letter_save(actor=district_a, level="district_unit", org_unit=OrgUnit.objects.get(code="500103003"),
                    **common),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_letter_edit_button_page_and_api_agree(request, client_for, api_client_for, letters, role):
    user = request.getfixturevalue(role)
    for letter in letters:
        expected = permissions.letter_edit(user, letter)
        detail = client_for(user).get(f"/creation/letters/{letter.pk}/")
        button = detail.status_code == 200 and f"/creation/letters/{letter.pk}/edit/" in detail.content.decode()
        page = client_for(user).get(f"/creation/letters/{letter.pk}/edit/").status_code == 200
        patched = api_client_for(user).patch(f"{API}/letters/{letter.pk}/", {"targets": "启动5个"}, format="json")
        assert button == page == (patched.status_code == 200) == expected, (role, letter.level)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_members_sync_button_and_page_agree(request, client_for, tree, role):
    from safecommunity.creation.models import JointMeetingMember

    user = request.getfixturevalue(role)
    listing = client_for(user).get("/creation/members/")
    button = listing.status_code == 200 and "/creation/members/from-departments/" in listing.content.decode()
    client_for(user).post("/creation/members/from-departments/")
    assert button == JointMeetingMember.objects.exists() == permissions.members_sync(user), role


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_launching_in_another_district_page_and_api_agree(request, client_for, api_client_for, tree, role):
    user = request.getfixturevalue(role)
    expected = permissions.launch_any_district(user)
    other, other_unit = ("500103", "500103003") if role == "district_b" else ("500106", "500106001")
    page = client_for(user).get(f"/creation/launch/?district={other}")
    picks = page.status_code == 200 and page.context.get("districts") is not None
    offers = page.status_code == 200 and unit(other_unit).pk in [
        u.pk for u in page.context["form"].fields["units"].queryset]
    launched = api_client_for(user).post(f"{API}/units/launch/", {
        "units": [unit(other_unit).pk], "launched_on": "2026-03-01", "plan_file": pdf()}, format="multipart")
    assert picks == offers == (launched.status_code == 201) == expected, role
