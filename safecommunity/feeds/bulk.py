"""The injuries personal-data cipher with its key set up once per import instead of once per
value (the rows themselves are written with `core.bulk`).

The cipher produces exactly the tokens of `injuries.personal.encrypt` (same key, same format),
so `personal.decrypt` reads them; a test checks it."""

import hashlib
import os

from safecommunity.injuries import personal


class BatchCipher:
    NONCES = 1024  # random nonces drawn per os.urandom call (one system call instead of 1024)

    def __init__(self):
        self.aead = personal.cipher()
        # names the key without revealing it: tokens kept for later are usable only under the same key
        self.key_id = hashlib.sha256(b"key id|" + personal._master()).hexdigest()[:16]
        self._nonces = iter(())

    def encrypt(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        nonce = next(self._nonces, None)
        if nonce is None:
            pool = os.urandom(personal.NONCE * self.NONCES)
            self._nonces = (pool[i:i + personal.NONCE] for i in range(0, len(pool), personal.NONCE))
            nonce = next(self._nonces)
        return personal.seal(self.aead, value, nonce)

    def decrypt(self, token: str) -> str:
        return personal.decrypt(token)
