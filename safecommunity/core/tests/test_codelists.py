import re

from safecommunity.core.models import CodeItem, Notification
from safecommunity.core.services import notify


def test_the_12_safety_areas_ship_as_an_editable_list(db):
    names = list(CodeItem.objects.of("safety_area").values_list("name", flat=True))
    assert len(names) == 12 and names[0] == "交通安全" and names[-1] == "防灾减灾与环境安全"
    assert CodeItem.objects.of("aqt_element").count() == 12


def test_city_office_edits_a_code_item(client_for, city_admin):
    item = CodeItem.objects.of("safety_area").get(code="water")
    client = client_for(city_admin)
    response = client.post(f"/core/codelists/safety_area/{item.pk}/",
                           {"code": "changed", "name": "水上安全", "sort_order": 5, "is_active": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.code, item.name) == ("water", "水上安全")  # system codes stay


def test_duplicate_code_is_refused_with_a_message(client_for, sysadmin):
    response = client_for(sysadmin).post("/core/codelists/safety_area/new/",
                                         {"code": "fire", "name": "重复", "sort_order": 1, "is_active": "on"})
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert CodeItem.objects.of("safety_area").count() == 12


def test_units_cannot_edit_code_lists(client_for, unit_a):
    assert client_for(unit_a).get("/core/codelists/").status_code == 403


def test_notify_sends_once_per_key(unit_a):
    assert notify(users=[unit_a], title="月报待提交", key="report:2026-10") == 1
    assert notify(users=[unit_a], title="月报待提交", key="report:2026-10") == 0
    assert Notification.objects.filter(user=unit_a).count() == 1


def test_healthz_reports_the_database(db, client):
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["database"]["status"] == "ok"


def test_api_token_schema_and_docs(tree, unit_a, client):
    from safecommunity.accounts.tests.factories import TEST_PASSWORD

    token = client.post("/api/v1/auth/token/", {"username": "unit_a", "password": TEST_PASSWORD}).json()["token"]
    response = client.get("/api/v1/creating-units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert client.get("/api/v1/creating-units/").status_code in (401, 403)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    # Every script and stylesheet comes from our own server (intranets have no internet);
    # a random CSRF token may well contain "cdn", so look at the addresses, not the text.
    addresses = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', docs)
    assert any("/static/drf_spectacular_sidecar/" in address for address in addresses)
    assert [address for address in addresses if "//" in address] == []


def test_language_switch_to_english(client_for, unit_a):
    client = client_for(unit_a)
    assert "首页" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Home" in client.get("/").content.decode()
