"""Personal data of an injured person (name, ID number, phone): encrypted at rest, masked on display.
Shared by injuries, feeds, archive (sealed files) and security (key rotation).

Tokens are AES-256-GCM (the `cryptography` package): "g2:<key id>:" + urlsafe base64(nonce |
ciphertext | tag), a random 12-byte nonce per value. The keys are PERSONAL_DATA_KEYS ("id:base64
of 32 bytes", the first encrypts, all decrypt), apart from SECRET_KEY; without that setting (the
embedded demo) one key is derived from SECRET_KEY. Rotation without downtime: put a new key first
(every process), keep the old ones after it, run `safecommunity personal_keys rotate` (re-encrypts
in batches), then drop the old keys. Older tokens are still read: "g1:" (AES-GCM under the key
derived from SECRET_KEY) and "h1:" (a stream cipher built from the standard library: HMAC-SHA256
in counter mode with a random 16-byte nonce, encrypt-then-MAC with an HMAC-SHA256 tag).

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

PREFIX = "g2:"  # AES-256-GCM with the key's id: "g2:<id>:<base64>"
_G1_PREFIX = "g1:"  # AES-256-GCM under the key derived from SECRET_KEY, read only
_LEGACY_PREFIX = "h1:"  # HMAC-SHA256 stream cipher, read only
NONCE = 12
_LEGACY_NONCE = 16
_LEGACY_TAG = 16


def _master(secret_key: str | None = None) -> bytes:
    """The master key derived from `secret_key` (by default SECRET_KEY)."""
    key = settings.SECRET_KEY if secret_key is None else secret_key
    # The label names the module's first home (injuries.personal): stored tokens depend on it.
    return hashlib.sha256(b"safecommunity.injuries.personal|" + key.encode()).digest()


def _keys() -> tuple[bytes, bytes]:
    """The two keys of the "h1:" tokens (encryption, authentication)."""
    master = _master()
    enc = hmac.new(master, b"encrypt", hashlib.sha256).digest()
    mac = hmac.new(master, b"authenticate", hashlib.sha256).digest()
    return enc, mac


class BadKey(ValueError):
    pass


def parse_key(item: str) -> tuple[str, bytes]:
    """ "id:base64" → (id, 32 bytes). The id: letters, digits, - and _ (it is written in every token)."""
    kid, _sep, encoded = item.strip().partition(":")
    if not kid or not all(c.isalnum() or c in "-_" for c in kid) or len(kid) > 24:
        raise BadKey(f"PERSONAL_DATA_KEYS: bad key id {kid!r}")
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadKey(f"PERSONAL_DATA_KEYS: key {kid} is not base64") from exc
    if len(raw) != 32:
        raise BadKey(f"PERSONAL_DATA_KEYS: key {kid} must be 32 bytes (AES-256)")
    return kid, raw


@functools.lru_cache(maxsize=8)
def _keyring(spec: tuple[str, ...], secret_key: str) -> tuple[str, dict[str, bytes]]:
    """(id of the key that encrypts, {id: key}) from PERSONAL_DATA_KEYS and SECRET_KEY."""
    derived = hmac.new(_master(secret_key), b"aes-256-gcm", hashlib.sha256).digest()
    derived_id = "s" + hashlib.sha256(b"key id|" + _master(secret_key)).hexdigest()[:8]
    keys = dict(parse_key(item) for item in spec if item.strip())
    current = next(iter(keys), derived_id)
    keys.setdefault(derived_id, derived)
    return current, keys


def key_ring() -> tuple[str, dict[str, bytes]]:
    """(id of the key that encrypts, {id: key} of every key that decrypts)."""
    return _keyring(tuple(getattr(settings, "PERSONAL_DATA_KEYS", ()) or ()), settings.SECRET_KEY)


@functools.lru_cache(maxsize=16)
def _aead(raw: bytes) -> "AESGCM":
    # imported when first needed: its OpenSSL bindings weigh ≈ 10 MB of memory, which a feed
    # import would otherwise carry while the spreadsheet is read (its peak)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(raw)


def cipher(kid: str | None = None) -> "AESGCM":
    """The AEAD of the key `kid` (by default the one that encrypts), built once per key."""
    current, keys = key_ring()
    return _aead(keys[kid or current])


def seal(aead: "AESGCM", value: str, nonce: bytes | None = None, kid: str | None = None) -> str:
    """A "g2:" token of `value` (not empty) under the key `kid` (default: the current one, which
    `aead` must be), with a fresh random nonce (or `nonce`, random and never used before)."""
    nonce = nonce or os.urandom(NONCE)
    kid = kid or key_id()
    return f"{PREFIX}{kid}:" + base64.urlsafe_b64encode(nonce + aead.encrypt(nonce, value.encode(), None)).decode()


def key_id() -> str:
    """Names the current key without revealing it: data kept for later under one key is used only
    under the same key."""
    return key_ring()[0]


def token_key_id(token: str) -> str | None:
    """The id of the key a token was written with ("g1:"/"h1:": the SECRET_KEY one, None if empty)."""
    if not token:
        return None
    if token.startswith(PREFIX):
        return token[len(PREFIX):].partition(":")[0]
    return "secret-key"


def needs_rotation(token: str) -> bool:
    return bool(token) and not token.startswith(f"{PREFIX}{key_id()}:")


class BatchCipher:
    """`encrypt` for a whole import: the key set up once, random nonces drawn 1,024 at a time
    (one system call instead of 1,024). Its tokens are those of `encrypt`; `decrypt` reads them."""

    NONCES = 1024

    def __init__(self):
        self.kid = key_id()
        self.aead = cipher(self.kid)
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
        return seal(self.aead, value, nonce, kid=self.kid)


def encrypt(value: str) -> str:
    if not value:
        return ""
    kid = key_id()
    return seal(cipher(kid), value, kid=kid)


class Unreadable(ValueError):
    pass


def _open(aead: "AESGCM", encoded: str) -> str:
    from cryptography.exceptions import InvalidTag

    try:
        raw = base64.urlsafe_b64decode(encoded.encode())
        return aead.decrypt(raw[:NONCE], raw[NONCE:], None).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise Unreadable("authentication failed") from exc


def decrypt(token: str) -> str:
    if not token:
        return ""
    if token.startswith(PREFIX):
        kid, _sep, encoded = token[len(PREFIX):].partition(":")
        _current, keys = key_ring()
        if kid not in keys:
            raise Unreadable(f"key {kid} is not in PERSONAL_DATA_KEYS")
        return _open(_aead(keys[kid]), encoded)
    if token.startswith(_G1_PREFIX):
        return _open(_aead(hmac.new(_master(), b"aes-256-gcm", hashlib.sha256).digest()), token[len(_G1_PREFIX):])
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
