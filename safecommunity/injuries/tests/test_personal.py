"""Personal data at rest: what is stored cannot be read without the key, and values stored by
every version of the cipher stay readable."""

import pytest

from safecommunity.core import personal

LEGACY_KEY = "legacy-tokens-test-key-0123456789abcdefghijklmnopqrstuvwxyz"
# Written by the first cipher ("h1:", HMAC-SHA256 stream cipher) under LEGACY_KEY.
LEGACY_TOKENS = {
    "张三": "h1:TiMPVy7nf-nJqn06qCA4pB9mz_Ex2mZczmj6u4oz1zVuNMezT5M=",
    "11010519491231002X": "h1:S72POsUafJQAQunj_7vvh1EKwXhXyHTAORgcS0WkOG5Rn2pcH4X1dNAQAH7F4oT-JQ4=",
    "13812345678": "h1:fedA7dI0mtmKbPxiqBTWlIDGz6RUmQp2Jn56SCh_BOvNfeJus3o3OE7uMQ==",
}


def test_values_stored_by_the_first_cipher_are_still_read(settings):
    settings.SECRET_KEY = LEGACY_KEY
    for value, token in LEGACY_TOKENS.items():
        assert personal.decrypt(token) == value


def test_new_values_are_stored_with_aes_gcm_and_read_back(settings):
    settings.SECRET_KEY = LEGACY_KEY
    for value in ("张三", "11010519491231002X", "13812345678", "欧阳" * 40):
        token = personal.encrypt(value)
        assert token.startswith("g2:") and value not in token
        assert token != personal.encrypt(value)  # a fresh nonce each time
        assert personal.decrypt(token) == value
    assert personal.encrypt("") == "" and personal.decrypt("") == ""
    # both kinds side by side, as in a database holding records of before and after the change
    assert [personal.decrypt(t) for t in (LEGACY_TOKENS["张三"], personal.encrypt("张三"))] == ["张三", "张三"]


def test_tampered_tokens_or_another_key_are_unreadable(settings):
    settings.SECRET_KEY = LEGACY_KEY
    token = personal.encrypt("张三")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (tampered, LEGACY_TOKENS["张三"][:-4] + "AAA=", "x1:abc", "g1:***"):
        with pytest.raises(personal.Unreadable):
            personal.decrypt(bad)
    settings.SECRET_KEY = "another-key-" + "y" * 40
    for old in (token, LEGACY_TOKENS["张三"]):
        with pytest.raises(personal.Unreadable):
            personal.decrypt(old)


def test_values_stored_by_the_aes_gcm_tokens_without_key_id_are_still_read(settings):
    """ "g1:" tokens (AES-GCM under the key derived from SECRET_KEY, before PERSONAL_DATA_KEYS)."""
    import base64
    import hashlib
    import hmac

    settings.SECRET_KEY = LEGACY_KEY
    settings.PERSONAL_DATA_KEYS = ["k1:" + base64.urlsafe_b64encode(b"1" * 32).decode()]
    aead = personal._aead(hmac.new(personal._master(), b"aes-256-gcm", hashlib.sha256).digest())
    nonce = b"n" * 12
    g1 = "g1:" + base64.urlsafe_b64encode(nonce + aead.encrypt(nonce, "张三".encode(), None)).decode()
    assert personal.decrypt(g1) == "张三" and personal.needs_rotation(g1)
