"""The permissions API (core.permissions) and its template tag: one rule answers pages and buttons."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from safecommunity.core.permissions import can, rule
from safecommunity.hazards.tests.factories import report

pytestmark = pytest.mark.django_db


def test_role_rules_without_an_object(city_admin, district_a, unit_a, dept_ga, expert):
    assert can(district_a, "hazards.assign")
    assert can(city_admin, "hazards.assign")
    assert not can(unit_a, "hazards.assign")
    assert can(dept_ga, "hazards.view") and not can(expert, "hazards.view")
    assert can(unit_a, "hazards.create") and not can(dept_ga, "hazards.create")


def test_object_rules_follow_scope_and_workflow_state(district_a, district_b, unit_a):
    hazard = report(unit_a)
    assert can(district_a, "hazards.assign", hazard)
    assert not can(district_b, "hazards.assign", hazard)  # another district's hazard
    assert not can(district_a, "hazards.accept", hazard)  # not awaiting acceptance
    assert can(unit_a, "hazards.view", hazard) and not can(district_b, "hazards.view", hazard)


def test_unknown_rules_raise():
    with pytest.raises(LookupError):
        rule("hazards.no_such_rule")
    with pytest.raises(ValueError):
        rule("hazards")


def test_template_filter_and_tag(district_a, district_b, unit_a):
    hazard = report(unit_a)
    template = Template('{% load permissions %}{% if user|can:"hazards.assign" %}A{% endif %}'
                        '{% can "hazards.assign" hazard as ok %}{% if ok %}B{% endif %}')
    for user, expected in ((district_a, "AB"), (district_b, "A"), (unit_a, "")):
        request = RequestFactory().get("/")
        request.user = user
        assert template.render(Context({"request": request, "user": user, "hazard": hazard})) == expected


def test_a_link_asks_the_page_it_leads_to(city_admin, sysadmin, district_b, unit_a):
    from safecommunity.core.permissions import may_open

    hazard = report(unit_a)
    assert may_open(sysadmin, "accounts:user_list") and may_open(city_admin, "accounts:user_list")
    assert not may_open(city_admin, "accounts:user_create")  # the page admits the system admin only
    assert may_open(city_admin, "hazards:hazard_detail", hazard)
    assert not may_open(district_b, "hazards:hazard_detail", hazard)  # another district's
    with pytest.raises(LookupError):
        may_open(city_admin, "hazards:no_such_page")
    template = Template('{% load permissions %}{% if user|can_open:"accounts:user_create" %}A{% endif %}'
                        '{% can_open "hazards:hazard_detail" hazard as ok %}{% if ok %}B{% endif %}')
    request = RequestFactory().get("/")
    request.user = city_admin
    assert template.render(Context({"request": request, "user": city_admin, "hazard": hazard})) == "B"


def test_the_code_list_pages_and_menu_ask_core_codelists():
    from safecommunity.core import permissions
    from safecommunity.core.testing import assert_rule_agrees

    assert_rule_agrees(permissions.codelists, "core:codelist_list", "core:codelist_detail", "core:codeitem_create",
                       "core:codeitem_edit")
