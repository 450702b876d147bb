from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from safecommunity.accounts.services import user_upsert
from safecommunity.accounts.tests.factories import TEST_PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
PROBE = "/api/v1/creating-units/"


def _token(user, password=TEST_PASSWORD, **extra):
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": password, **extra})
    assert response.status_code == 200, response.content
    return response.json()


def _get(key, path=PROBE):
    return APIClient().get(path, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_expires_after_the_configured_days(unit_a, settings):
    body = _token(unit_a)
    token = AuthToken.objects.get(user=unit_a)
    assert token.expiry - timezone.now() > timedelta(days=29)  # default 30 days
    assert token.digest != body["token"] and body["token"] not in token.digest  # stored as a hash
    assert _get(body["token"]).status_code == 200
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _get(body["token"]).status_code == 401
    assert not AuthToken.objects.filter(user=unit_a).exists()


def test_a_changed_password_kills_the_old_token_and_the_session(unit_a, client_for):
    key = _token(unit_a)["token"]
    other = _token(unit_a)["token"]
    browser = client_for(unit_a)
    assert browser.get("/").status_code == 200
    changer = client_for(unit_a)
    response = changer.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "Neu@pass-2027x",
                                                    "new_password2": "Neu@pass-2027x"})
    assert response.status_code == 302
    assert _get(key).status_code == 401 and _get(other).status_code == 401
    assert browser.get("/").status_code == 302  # the other session is signed out
    assert changer.get("/").status_code == 200  # the one that changed it stays in
    assert _get(_token(unit_a, "Neu@pass-2027x")["token"]).status_code == 200


@pytest.mark.parametrize("change", ["role", "unit", "deactivate"])
def test_role_unit_change_and_deactivation_end_tokens_and_sessions(change, unit_a, sysadmin, client_for):
    key = _token(unit_a)["token"]
    browser = client_for(unit_a)
    if change == "role":
        user_upsert(username="unit_a", role="district", code="500103")
    elif change == "unit":
        user_upsert(username="unit_a", role="unit", code="500103001")
    else:
        user_upsert(username="unit_a", role="unit", code="500103003", is_active=False)
    assert _get(key).status_code == 401
    assert browser.get("/").status_code == 302


def test_an_unrelated_save_keeps_the_token(unit_a):
    key = _token(unit_a)["token"]
    unit_a.phone = "023-1234567"
    unit_a.save()
    assert _get(key).status_code == 200


def test_own_page_lists_creates_and_revokes_tokens(unit_a, unit_b, client_for):
    _token(unit_a)
    client = client_for(unit_a)
    page = client.get("/security/account/")
    assert page.status_code == 200 and "API令牌" in page.content.decode()
    assert len(page.context["tokens"]) == 1
    created = client.post("/security/account/tokens/new/")
    key = created.context["new_key"]
    assert key in created.content.decode() and _get(key).status_code == 200
    token = AuthToken.objects.get(token_key=key[:15])
    # another user cannot revoke it (404 naming nothing); the owner can
    assert client_for(unit_b).post(f"/security/tokens/{token.token_key}/revoke/").status_code == 404
    assert client.post(f"/security/tokens/{token.token_key}/revoke/").status_code == 302
    assert _get(key).status_code == 401 and AuthToken.objects.filter(user=unit_a).count() == 1


def test_sysadmin_page_lists_and_revokes_a_users_tokens(unit_a, sysadmin, city_admin, client_for):
    key = _token(unit_a)["token"]
    url = f"/security/users/{unit_a.pk}/"
    assert client_for(city_admin).get(url).status_code == 403
    assert client_for(unit_a).get(url).status_code == 403
    admin = client_for(sysadmin)
    page = admin.get(url)
    assert page.status_code == 200 and key[:8] in page.content.decode()
    assert admin.post(url, {"action": "revoke_all"}).status_code == 302
    assert _get(key).status_code == 401
    assert admin.get("/security/users/999999/").status_code == 404


def test_wrong_password_gives_no_token(unit_a):
    response = APIClient().post(TOKEN_URL, {"username": "unit_a", "password": "nope"})
    assert response.status_code == 400 and not AuthToken.objects.exists()
