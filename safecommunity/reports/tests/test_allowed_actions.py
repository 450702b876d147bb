"""One answer to "what may this user do with this report now": permissions.allowed_actions (from
services.TRANSITIONS). The detail page shows exactly those buttons and the API's report says
exactly those actions, for every role and state."""

import pytest
from django.urls import reverse

from safecommunity.reports import permissions
from safecommunity.reports.services import monthly_report_approve, unlock_request_create

pytestmark = pytest.mark.django_db
ROLES = ["unit_a", "unit_a2", "district_a", "district_b", "city_admin", "dept_ga", "expert"]
POSTED = ["submit", "approve", "return", "unlock", "decide", "comment"]


def page_buttons(client, report) -> set[str] | None:
    response = client.get(reverse("reports:report_detail", args=[report.pk]))
    if response.status_code != 200:
        return None
    page = response.content.decode()
    found = {a for a in POSTED if f'action="{reverse("reports:report_action", args=[report.pk, a])}"' in page}
    if f'href="{reverse("reports:report_edit", args=[report.pk])}"' in page:
        found.add("edit")
    return found


def api_actions(client, report) -> set[str] | None:
    response = client.get(f"/api/v1/monthly-reports/{report.pk}/")
    return set(response.json()["actions"]) if response.status_code == 200 else None


def states(draft, unit_a, district_a, city_admin):
    from safecommunity.reports.services import monthly_report_submit, monthly_report_update

    yield "draft", draft
    monthly_report_update(report=draft, actor=unit_a, work_done="开展消防宣传两次", problems="人手不足",
                          next_plans="组织演练")
    yield "submitted", monthly_report_submit(report=draft, actor=unit_a)
    yield "district_approved", monthly_report_approve(report=draft, actor=district_a)
    yield "approved", monthly_report_approve(report=draft, actor=city_admin)
    unlock_request_create(report=draft, actor=unit_a, reason="数字填错")
    yield "unlock_pending", draft


def test_page_buttons_and_api_follow_allowed_actions(request, draft, client_for, api_client_for, unit_a,
                                                      district_a, city_admin):
    seen = {}
    users = {role: request.getfixturevalue(role) for role in ROLES}
    for state, report in states(draft, unit_a, district_a, city_admin):
        report.refresh_from_db()
        for role, user in users.items():
            expected = permissions.allowed_actions(report, user)
            buttons = page_buttons(client_for(user), report)
            from_api = api_actions(api_client_for(user), report)
            if buttons is None:  # the page is closed to the role or the report out of its scope
                assert from_api is None and expected == set(), (state, role)
                continue
            assert buttons == from_api == expected, (state, role, buttons, from_api, expected)
            seen[(state, role)] = expected
    assert seen[("draft", "unit_a")] == {"edit", "submit"}
    assert seen[("submitted", "district_a")] == {"approve", "return", "comment"}
    assert seen[("submitted", "unit_a")] == set()
    assert seen[("district_approved", "city_admin")] == {"approve", "return", "comment"}
    assert seen[("approved", "unit_a")] == {"unlock"}
    assert seen[("unlock_pending", "unit_a")] == set()
    assert seen[("unlock_pending", "city_admin")] == {"decide", "comment"}
