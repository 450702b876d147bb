"""The one scoping rule, across roles, for pages, exports and the API."""

import io

import pytest
from openpyxl import load_workbook

from safecommunity.orgunits.models import CreatingUnit, OrgUnit


def test_district_admin_sees_its_streets_only(district_a):
    visible = OrgUnit.objects.visible_to(district_a)
    assert visible.townships().count() == 11
    assert not visible.filter(code__startswith="500106").exists()


def test_unit_worker_sees_only_its_own_unit(unit_a):
    assert list(CreatingUnit.objects.visible_to(unit_a).values_list("org_unit__code", flat=True)) == ["500103003"]


def test_city_department_and_expert_read_reference_data(city_admin, dept_ga, expert):
    total = OrgUnit.objects.count()
    for user in (city_admin, dept_ga, expert):
        assert OrgUnit.objects.visible_to(user).count() == total


def test_anonymous_and_inactive_users_see_nothing(district_a):
    from django.contrib.auth.models import AnonymousUser

    assert not OrgUnit.objects.visible_to(AnonymousUser()).exists()
    district_a.is_active = False
    assert not OrgUnit.objects.visible_to(district_a).exists()


def test_district_page_lists_streets_and_hides_other_district(client_for, district_a):
    client = client_for(district_a)
    page = client.get("/orgunits/500103/")
    assert page.status_code == 200
    assert "解放碑街道" in page.content.decode()
    assert client.get("/orgunits/500106/").status_code == 404
    assert client.get("/orgunits/500106001/").status_code == 404
    listing = client.get("/orgunits/?q=街道&page_size=100").content.decode()
    assert "解放碑街道" in listing and "小龙坎街道" not in listing


def test_unit_worker_cannot_open_a_sibling_unit(client_for, unit_a):
    client = client_for(unit_a)
    assert client.get("/orgunits/500103003/").status_code == 200
    assert client.get("/orgunits/500103001/").status_code == 404


def test_list_filters_and_paginates(client_for, city_admin):
    client = client_for(city_admin)
    page = client.get("/orgunits/units/?district=500106&page_size=10")
    body = page.content.decode()
    assert page.status_code == 200
    assert "小龙坎街道" in body and "解放碑街道" not in body
    assert page.context["paginator"].count == 26
    assert len(page.context["object_list"]) == 10


def test_bad_filter_value_shows_an_error_not_a_500(client_for, city_admin):
    page = client_for(city_admin).get("/orgunits/?level=planet")
    assert page.status_code == 400  # the page, its search form marked
    assert page.context["filter"].errors


def test_export_contains_only_the_scope(client_for, district_a):
    response = client_for(district_a).get("/orgunits/units/?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "代码"
    assert len(rows) == 1 + 11
    assert all(str(r[0]).startswith("500103") for r in rows[1:])


@pytest.mark.parametrize("path", ["/api/v1/orgunits/500106001/", "/api/v1/orgunits/500106/"])
def test_api_hides_other_district(api_client_for, district_a, path):
    assert api_client_for(district_a).get(path).status_code == 404


def test_api_lists_with_the_same_scope(api_client_for, district_a, unit_b):
    data = api_client_for(district_a).get("/api/v1/creating-units/?page_size=100").json()
    assert data["count"] == 11
    assert {r["district"] for r in data["results"]} == {"500103"}
    own = api_client_for(unit_b).get("/api/v1/creating-units/").json()
    assert [r["code"] for r in own["results"]] == ["500106001"]


def test_unit_edit_is_scoped_and_validated(client_for, unit_a, district_b):
    client = client_for(unit_a)
    bad = client.post("/orgunits/500103003/unit/edit/", {"population": "-5"})
    assert bad.status_code == 200 and bad.context["form"].errors
    ok = client.post("/orgunits/500103003/unit/edit/", {"population": "35000", "contact_person": "刘"})
    assert ok.status_code == 302
    assert CreatingUnit.objects.get(org_unit__code="500103003").population == 35000
    assert client_for(district_b).post("/orgunits/500103003/unit/edit/", {"population": "1"}).status_code == 404
    assert CreatingUnit.objects.get(org_unit__code="500103003").population == 35000


def test_only_sysadmin_edits_org_units(client_for, district_a, sysadmin):
    assert client_for(district_a).get("/orgunits/500103003/edit/").status_code == 403
    response = client_for(sysadmin).post("/orgunits/500103003/edit/", {"name": "解放碑街道", "is_active": "on"})
    assert response.status_code == 302


def test_sysadmin_adds_a_street_with_its_creating_unit(client_for, sysadmin, district_a):
    client = client_for(sysadmin)
    data = {"level": "township", "parent_code": "500103", "code": "500103099", "name": "新设街道",
            "division_type": "subdistrict"}
    assert client.post("/orgunits/new/", data).status_code == 302
    assert CreatingUnit.objects.get(org_unit__code="500103099").org_unit.path == "/500000/500103/500103099/"
    assert OrgUnit.objects.visible_to(district_a).filter(code="500103099").exists()
    again = client.post("/orgunits/new/", {**data, "code": "500106099"})
    assert again.status_code == 200 and "必须以上级代码 500103 开头" in again.content.decode()
    assert not OrgUnit.objects.filter(code="500106099").exists()
    assert client_for(district_a).get("/orgunits/new/").status_code == 403
