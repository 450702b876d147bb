"""Homes of the roles without a district map: the department's domain across the districts, the
system administrator's users and reference data. None shows the offices' "38 区县" and zeros."""

import pytest

pytestmark = pytest.mark.django_db

OFFICE_FIGURES = 'id="district-map"'


def test_the_department_sees_its_hazards_overdue_first(client_for, district_a, dept_ga):
    from datetime import date

    from safecommunity.hazards import services
    from safecommunity.hazards.tests.factories import report, unit
    from safecommunity.orgunits.models import Department

    ga = Department.objects.get(code="GA")
    late = report(district_a, address="民生路 1 号")
    services.hazard_assign(hazard=late, actor=district_a, responsible_unit=unit("500103003"), department=ga)
    type(late).objects.filter(pk=late.pk).update(deadline=date(2020, 1, 1))  # its deadline has passed
    soon = report(district_a, address="民生路 2 号")
    services.hazard_assign(hazard=soon, actor=district_a, responsible_unit=unit("500103003"), department=ga)
    report(district_a, address="民生路 3 号")  # not the department's
    html = client_for(dept_ga).get("/").content.decode()
    assert 'id="home-department"' in html and OFFICE_FIGURES not in html
    block = html[html.index('id="home-department"'):]
    assert block.index("民生路 1 号") < block.index("民生路 2 号") and "民生路 3 号" not in block
    assert "/hazards/?department=GA&amp;overdue=true" in block


def test_the_system_administrator_sees_users_and_reference_data(client_for, sysadmin, city_admin):
    html = client_for(sysadmin).get("/").content.decode()
    assert 'id="home-sysadmin"' in html and OFFICE_FIGURES not in html
    assert "锁定账号" in html and "基础数据" in html and "数据字典" in html


@pytest.mark.parametrize("role_user", ["city_admin", "district_a"])
def test_the_offices_keep_their_map(client_for, role_user, request):
    html = client_for(request.getfixturevalue(role_user)).get("/").content.decode()
    assert OFFICE_FIGURES in html and 'id="home-todo"' in html
