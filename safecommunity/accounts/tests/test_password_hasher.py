"""Passwords are stored with Argon2id at OWASP's parameters; a PBKDF2 hash of before still signs in
and is upgraded at that sign-in. (The test settings use a fast hasher; these tests use the
production list.)"""

import pytest
from django.contrib.auth.hashers import make_password

PRODUCTION_HASHERS = [
    "safecommunity.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]


@pytest.mark.django_db
def test_an_old_pbkdf2_password_signs_in_and_is_stored_again_as_argon2id(client, settings, unit_a):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = unit_a
    user.password = make_password("Old@Password2024", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert user.password.startswith("pbkdf2_sha256$")

    response = client.post("/accounts/login/", {"username": user.username, "password": "Old@Password2024"})
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    client.logout()
    response = client.post("/accounts/login/", {"username": user.username, "password": "Old@Password2024"})
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    client.logout()
    response = client.post("/accounts/login/", {"username": user.username, "password": "wrong-password-1"})
    assert response.status_code == 200  # the form again, with its error


def test_the_production_settings_hash_with_argon2id(settings):
    from safecommunity.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    assert base.PASSWORD_HASHERS == PRODUCTION_HASHERS
    assert make_password("x" * 12, hasher="argon2").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
