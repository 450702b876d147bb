"""The user-edit page /accounts/users/<pk>/: shows the user's values, saves role, unit and the
active flag, keeps what was typed with the field named on bad input; only the system admin."""

import pytest
from django.test import Client

from safecommunity.accounts.models import User
from safecommunity.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def url(user):
    return f"/accounts/users/{user.pk}/"


def values(user, **over):
    data = {"username": "ignored", "full_name": user.full_name, "role": user.role, "code": user.org_unit.code,
            "phone": user.phone, "is_active": "on"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_shows_the_users_values(client_for, sysadmin, unit_a):
    unit_a.full_name, unit_a.phone = "张三", "13800000000"
    unit_a.save()
    response = client_for(sysadmin).get(url(unit_a))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["username"].value() == "unit_a" and form["code"].value() == "500103003"
    assert form["role"].value() == "unit" and form["is_active"].value() is True
    body = response.content.decode()
    assert 'value="unit_a"' in body and 'value="500103003"' in body and 'value="张三"' in body
    assert 'value="13800000000"' in body


def test_role_and_unit_change_is_saved(client_for, sysadmin, unit_a):
    response = client_for(sysadmin).post(url(unit_a), values(unit_a, role="district", code="500103"))
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.username == "unit_a" and unit_a.role == "district" and unit_a.org_unit.code == "500103"
    assert unit_a.check_password(TEST_PASSWORD)  # an empty password field keeps the password


def test_deactivation_stops_the_login(client_for, sysadmin, unit_a):
    response = client_for(sysadmin).post(url(unit_a), values(unit_a, is_active=None))
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    response = Client().post("/accounts/login/", {"username": "unit_a", "password": TEST_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session
    assert client_for(sysadmin).post(url(unit_a), values(unit_a)).status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.is_active


def test_bad_input_keeps_the_values_and_names_the_field(client_for, sysadmin, unit_a):
    response = client_for(sysadmin).post(url(unit_a), values(unit_a, role="district", code="500103003",
                                                             full_name="李四"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "code" in form.errors
    assert form["code"].value() == "500103003" and form["role"].value() == "district"
    assert 'value="李四"' in response.content.decode()
    unit_a.refresh_from_db()
    assert unit_a.role == "unit" and unit_a.full_name != "李四"
    response = client_for(sysadmin).post(url(unit_a), values(unit_a, password1="Strong#pass1", password2="other"))
    assert "password2" in response.context["form"].errors


def test_the_admin_cannot_lock_themselves_out(client_for, sysadmin):
    client = client_for(sysadmin)
    response = client.post(url(sysadmin), values(sysadmin, is_active=None))
    assert response.status_code == 200 and "is_active" in response.context["form"].errors
    response = client.post(url(sysadmin), values(sysadmin, role="city"))
    assert response.status_code == 200 and "role" in response.context["form"].errors
    sysadmin.refresh_from_db()
    assert sysadmin.is_active and sysadmin.role == "sysadmin"


def test_only_the_system_admin_edits_users(client_for, city_admin, district_a, unit_a, unit_b):
    for user in (city_admin, district_a):  # they see the account (the list), and may not change it
        assert client_for(user).get(url(unit_a)).status_code == 403
        assert client_for(user).post(url(unit_a), values(unit_a, is_active=None)).status_code == 403
    assert client_for(unit_a).get(url(unit_b)).status_code == 403  # a wrong role: 403 before any lookup
    assert client_for(district_a).post(url(unit_b), values(unit_b, is_active=None)).status_code == 403
    unit_a.refresh_from_db()
    unit_b.refresh_from_db()
    assert unit_a.is_active and unit_b.is_active


def test_an_unknown_user_is_404(client_for, sysadmin):
    assert client_for(sysadmin).get("/accounts/users/999999/").status_code == 404
    assert not User.objects.filter(pk=999999).exists()


def test_the_admin_cannot_lock_themselves_out_and_the_service_says_so_too(client_for, sysadmin, unit_a):
    """The rule lives in the service (accounts.services.user_upsert), which the page and any
    other caller with an actor share: no deactivating or demoting one's own account."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from safecommunity.accounts.services import user_upsert

    response = client_for(sysadmin).post(url(sysadmin), values(sysadmin, is_active=None, role="city"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "is_active" in errors and "role" in errors
    sysadmin.refresh_from_db()
    assert sysadmin.is_active and sysadmin.role == "sysadmin"
    with pytest.raises(ValidationError):
        user_upsert(username="sysadmin", role="sysadmin", code="500000", is_active=False, actor=sysadmin)
    with pytest.raises(PermissionDenied):  # a role that does not manage accounts, whatever the caller
        user_upsert(username="unit_a", role="unit", code="500103003", is_active=False, actor=unit_a)
    unit_a.refresh_from_db()
    assert unit_a.is_active
