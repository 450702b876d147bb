from auditlog.models import LogEntry
from django.test import Client

from safecommunity.accounts.models import User
from safecommunity.accounts.tests.factories import TEST_PASSWORD


def test_sysadmin_creates_a_user_in_the_ui(client_for, sysadmin):
    client = client_for(sysadmin)
    response = client.post("/accounts/users/new/", {
        "username": "newbie", "full_name": "新人", "role": "unit", "code": "500103003",
        "password1": "Strong#pass1", "password2": "Strong#pass1", "is_active": "on",
    })
    assert response.status_code == 302
    assert User.objects.get(username="newbie").org_unit.code == "500103003"


def test_user_form_names_the_bad_field_and_saves_nothing(client_for, sysadmin):
    response = client_for(sysadmin).post("/accounts/users/new/", {
        "username": "bad", "role": "district", "code": "500103003",
        "password1": "Strong#pass1", "password2": "Strong#pass1", "is_active": "on",
    })
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not User.objects.filter(username="bad").exists()


def test_only_admins_manage_users(client_for, district_a, unit_a):
    assert client_for(unit_a).get("/accounts/users/").status_code == 403
    assert client_for(district_a).get("/accounts/users/new/").status_code == 403


def test_home_page_is_made_for_each_role(client_for, city_admin, district_a, unit_a, dept_ga, expert, sysadmin):
    assert "沙坪坝区" in client_for(city_admin).get("/").content.decode()
    district_home = client_for(district_a).get("/").content.decode()
    assert "渝中区" in district_home and "沙坪坝区" not in district_home
    unit_home = client_for(unit_a).get("/").content.decode()
    assert "解放碑街道" in unit_home and "district-map" not in unit_home
    assert "公安" in client_for(dept_ga).get("/").content.decode()
    for user in (expert, sysadmin):
        assert client_for(user).get("/").status_code == 200


def test_menu_follows_the_role(client_for, unit_a, sysadmin):
    assert "/accounts/users/" not in client_for(unit_a).get("/").content.decode()
    assert "/accounts/users/" in client_for(sysadmin).get("/").content.decode()


def test_login_locks_after_five_failures(unit_a):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "unit_a", "password": "wrong-password"})
    locked = client.post("/accounts/login/", {"username": "unit_a", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()


def test_login_works_and_is_logged(unit_a):
    client = Client()
    response = client.post("/accounts/login/", {"username": "unit_a", "password": TEST_PASSWORD})
    assert response.status_code == 302
    from axes.models import AccessLog

    assert AccessLog.objects.filter(username="unit_a").exists()


def test_forms_need_csrf(unit_a):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "unit_a", "password": TEST_PASSWORD})
    assert response.status_code == 403


def test_audit_trail_records_before_and_after(client_for, unit_a, city_admin):
    client_for(unit_a).post("/orgunits/500103003/unit/edit/", {"population": "1000"})
    client_for(unit_a).post("/orgunits/500103003/unit/edit/", {"population": "2000"})
    entry = LogEntry.objects.filter(object_repr="解放碑街道").order_by("-timestamp").first()
    assert entry.actor == unit_a
    assert entry.changes_dict["population"] == ["1000", "2000"]
    page = client_for(city_admin).get("/accounts/audit/").content.decode()
    assert "常住人口: 1000 → 2000" in page
    assert client_for(unit_a).get("/accounts/audit/").status_code == 403


def test_session_is_idle_limited_renewed_by_requests_at_most_once_a_minute(settings, client_for, unit_a):
    import time

    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    client = client_for(unit_a)
    assert client.get("/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    first = Session.objects.get(session_key=key).expire_date
    assert client.get("/todo/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == first  # within the minute: no write
    session = client.session
    session["_renewed"] = int(time.time()) - settings.SESSION_RENEW_SECONDS
    session.save()
    saved = Session.objects.get(session_key=key).expire_date
    time.sleep(0.01)
    assert client.get("/todo/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date > saved  # a minute on: renewed
    Session.objects.filter(session_key=key).update(expire_date=first.replace(year=first.year - 1))
    assert client.get("/todo/")["Location"].startswith("/accounts/login/")  # idle past the limit


def test_one_menu_entry_is_active_the_longest_match(rf, sysadmin):
    from safecommunity.core.context_processors import navigation

    request = rf.get("/accounts/users/new/")
    request.user = sysadmin
    active = [e["url"] for entries in navigation(request)["menu_groups"].values() for e in entries if e["active"]]
    assert active == ["/accounts/users/"]
