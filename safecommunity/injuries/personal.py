"""Personal data of an injured person (name, ID number, phone): encrypted at rest, masked on display.

Tokens are AES-256-GCM (the `cryptography` package): "g1:" + urlsafe base64(nonce | ciphertext |
tag), a random 12-byte nonce per value, the key derived from SECRET_KEY. Tokens written before it
("h1:", a stream cipher built from the standard library: HMAC-SHA256 in counter mode with a random
16-byte nonce, encrypt-then-MAC with an HMAC-SHA256 tag; keys derived from SECRET_KEY) are still
read. Rotating SECRET_KEY makes stored values unreadable (they then display as "[unreadable]").

Only users of the recording unit see the clear values (`can_see_personal`); everyone else —
district and city offices, departments, other units, exports, API — sees masked values.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import os
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "g1:"  # AES-256-GCM
_LEGACY_PREFIX = "h1:"  # HMAC-SHA256 stream cipher, read only
NONCE = 12
_LEGACY_NONCE = 16
_LEGACY_TAG = 16


def _master(secret_key: str | None = None) -> bytes:
    """The master key derived from `secret_key` (by default SECRET_KEY)."""
    key = settings.SECRET_KEY if secret_key is None else secret_key
    return hashlib.sha256(b"safecommunity.injuries.personal|" + key.encode()).digest()


def _keys() -> tuple[bytes, bytes]:
    """The two keys of the "h1:" tokens (encryption, authentication)."""
    master = _master()
    enc = hmac.new(master, b"encrypt", hashlib.sha256).digest()
    mac = hmac.new(master, b"authenticate", hashlib.sha256).digest()
    return enc, mac


@functools.lru_cache(maxsize=4)
def _aead(secret_key: str) -> "AESGCM":
    # imported when first needed: its OpenSSL bindings weigh ≈ 10 MB of memory, which a feed
    # import would otherwise carry while the spreadsheet is read (its peak)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(hmac.new(_master(secret_key), b"aes-256-gcm", hashlib.sha256).digest())


def cipher() -> "AESGCM":
    """The AEAD of the current SECRET_KEY (built once per key)."""
    return _aead(settings.SECRET_KEY)


def seal(aead: "AESGCM", value: str, nonce: bytes | None = None) -> str:
    """A "g1:" token of `value` (not empty) with a fresh random nonce (or `nonce`, random and
    never used before)."""
    nonce = nonce or os.urandom(NONCE)
    return PREFIX + base64.urlsafe_b64encode(nonce + aead.encrypt(nonce, value.encode(), None)).decode()


def key_id() -> str:
    """Names the current key without revealing it: data kept for later under one key is used only
    under the same key."""
    return hashlib.sha256(b"key id|" + _master()).hexdigest()[:16]


class BatchCipher:
    """`encrypt` for a whole import: the key set up once, random nonces drawn 1,024 at a time
    (one system call instead of 1,024). Its tokens are those of `encrypt`; `decrypt` reads them."""

    NONCES = 1024

    def __init__(self):
        self.aead = cipher()
        self._nonces = iter(())

    def encrypt(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        nonce = next(self._nonces, None)
        if nonce is None:
            pool = os.urandom(NONCE * self.NONCES)
            self._nonces = (pool[i:i + NONCE] for i in range(0, len(pool), NONCE))
            nonce = next(self._nonces)
        return seal(self.aead, value, nonce)


def encrypt(value: str) -> str:
    if not value:
        return ""
    return seal(cipher(), value)


class Unreadable(ValueError):
    pass


def decrypt(token: str) -> str:
    if not token:
        return ""
    if token.startswith(PREFIX):
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.urlsafe_b64decode(token[len(PREFIX):].encode())
            return cipher().decrypt(raw[:NONCE], raw[NONCE:], None).decode()
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise Unreadable("authentication failed") from exc
    if token.startswith(_LEGACY_PREFIX):
        return _legacy_decrypt(token)
    raise Unreadable("unknown token format")


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(out[:length])


def _legacy_decrypt(token: str) -> str:
    raw = base64.urlsafe_b64decode(token[len(_LEGACY_PREFIX):].encode())
    nonce, ct, tag = raw[:_LEGACY_NONCE], raw[_LEGACY_NONCE:-_LEGACY_TAG], raw[-_LEGACY_TAG:]
    enc, mac = _keys()
    if not hmac.compare_digest(tag, hmac.new(mac, nonce + ct, hashlib.sha256).digest()[:_LEGACY_TAG]):
        raise Unreadable("authentication failed")
    return bytes(a ^ b for a, b in zip(ct, _keystream(enc, nonce, len(ct)), strict=True)).decode()


def mask_name(value: str) -> str:
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


MASKERS = {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone}


def can_see_personal(user, org_unit_id: int) -> bool:
    """Only users of the recording unit itself (role creating unit, same org unit)."""
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "role", None) == "unit"
        and user.org_unit_id == org_unit_id
    )
