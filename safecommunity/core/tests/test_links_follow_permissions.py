"""A link or button is shown only when the user may follow it: the generic list, breadcrumbs and
buttons ask the linked view's own role check (core.views.role_may_open)."""

import re

import pytest

from safecommunity.core.views import role_may_open

pytestmark = pytest.mark.django_db


def _hrefs(html):
    return set(re.findall(r'href="(/[^"]*)"', html))


def test_role_may_open_asks_the_view(city_admin, sysadmin, dept_ga, unit_a):
    assert role_may_open(sysadmin, "/accounts/users/1/")
    assert not role_may_open(city_admin, "/accounts/users/1/")  # 用户管理: the city reads, the admin edits
    assert not role_may_open(dept_ga, "/creation/meetings/1/")
    assert role_may_open(dept_ga, "/creation/follow-ups/")
    assert not role_may_open(unit_a, "/no/such/page/")


def test_the_city_reads_users_without_links_it_cannot_follow(client_for, city_admin, sysadmin, unit_a):
    html = client_for(city_admin).get("/accounts/users/").content.decode()
    assert "unit_a" in html and f"/accounts/users/{unit_a.pk}/" not in _hrefs(html)
    html = client_for(sysadmin).get("/accounts/users/").content.decode()
    assert f"/accounts/users/{unit_a.pk}/" in _hrefs(html)


def test_every_link_on_the_departments_lists_opens(client_for, dept_ga, district_a):
    from datetime import date

    from safecommunity.hazards.tests.factories import area, unit
    from safecommunity.injuries.models import NilReport
    from safecommunity.injuries.services import nil_report_create

    nil_report_create(actor=district_a, org_unit=unit("500103003"), safety_area=area("traffic"),
                      month=date(2026, 3, 1), note="")
    assert NilReport.objects.exists()
    client = client_for(dept_ga)
    for page in ("/injuries/nil/", "/injuries/population/", "/creation/follow-ups/"):
        html = client.get(page).content.decode()
        main = html[html.index("<main"):]
        for href in _hrefs(main):
            if "export=" in href or href.startswith("/static/"):
                continue
            assert client.get(href).status_code < 400, (page, href)
        if page == "/injuries/nil/":
            assert "/delete/" not in main  # 撤回 is the unit's and the district's
