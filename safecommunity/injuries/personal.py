"""Personal data of an injured person (name, ID number, phone): encrypted at rest, masked on display.

The `cryptography` package is not a dependency of this project, so the cipher is built from the
standard library: a stream cipher with HMAC-SHA256 as the pseudo-random function in counter mode
(random 16-byte nonce) and an HMAC-SHA256 tag over nonce and ciphertext (encrypt-then-MAC). Both
keys are derived from SECRET_KEY. Token format: "h1:" + urlsafe base64(nonce | ciphertext | tag).
Rotating SECRET_KEY makes stored values unreadable (they then display as "[unreadable]").

Only users of the recording unit see the clear values (`can_see_personal`); everyone else —
district and city offices, departments, other units, exports, API — sees masked values.
"""

import base64
import hashlib
import hmac
import os

from django.conf import settings

_PREFIX = "h1:"
_NONCE = 16
_TAG = 16


def _keys() -> tuple[bytes, bytes]:
    master = hashlib.sha256(b"safecommunity.injuries.personal|" + settings.SECRET_KEY.encode()).digest()
    enc = hmac.new(master, b"encrypt", hashlib.sha256).digest()
    mac = hmac.new(master, b"authenticate", hashlib.sha256).digest()
    return enc, mac


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(out[:length])


def encrypt(value: str) -> str:
    if not value:
        return ""
    enc, mac = _keys()
    nonce = os.urandom(_NONCE)
    data = value.encode()
    ct = bytes(a ^ b for a, b in zip(data, _keystream(enc, nonce, len(data)), strict=True))
    tag = hmac.new(mac, nonce + ct, hashlib.sha256).digest()[:_TAG]
    return _PREFIX + base64.urlsafe_b64encode(nonce + ct + tag).decode()


class Unreadable(ValueError):
    pass


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise Unreadable("unknown token format")
    raw = base64.urlsafe_b64decode(token[len(_PREFIX):].encode())
    nonce, ct, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    enc, mac = _keys()
    if not hmac.compare_digest(tag, hmac.new(mac, nonce + ct, hashlib.sha256).digest()[:_TAG]):
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
