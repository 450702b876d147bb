"""Rotation of the personal-data key: re-encrypt every stored token under the current key, in
small batches (each its own transaction, rows locked), while the application keeps running: new
writes already use the new key and old tokens stay readable until the old key is removed."""

import base64
import os
from collections import Counter

from django.apps import apps
from django.db import transaction

from safecommunity.core import personal

# Every field that holds "personal.encrypt" tokens: (app label, model, fields).
ENCRYPTED_FIELDS = [
    ("injuries", "InjuryRecord", ("name_cipher", "id_number_cipher", "phone_cipher")),
    ("feeds", "FeedCase", ("payload",)),
]


def new_key_line(kid: str) -> str:
    return f"{kid}:" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _models():
    for app_label, model_name, fields in ENCRYPTED_FIELDS:
        try:
            yield apps.get_model(app_label, model_name), fields
        except LookupError:
            continue


def key_usage() -> dict[str, Counter]:
    """{"app.Model": Counter({key id: number of tokens})}."""
    usage = {}
    for model, fields in _models():
        counter = Counter()
        for row in model.objects.values_list(*fields).iterator(chunk_size=2000):
            counter.update(personal.token_key_id(token) for token in row if token)
        usage[model._meta.label] = counter
    return usage


def rotate(*, batch: int = 500, stdout=None) -> int:
    """Re-encrypt under the current key every token written under another; returns how many."""
    changed = 0
    for model, fields in _models():
        last = 0
        while True:
            with transaction.atomic():
                rows = list(model.objects.select_for_update().filter(pk__gt=last).order_by("pk")
                            .only("pk", *fields)[:batch])
                if not rows:
                    break
                dirty = []
                for row in rows:
                    touched = False
                    for field in fields:
                        token = getattr(row, field)
                        if personal.needs_rotation(token):
                            setattr(row, field, personal.encrypt(personal.decrypt(token)))
                            touched = True
                            changed += 1
                    if touched:
                        dirty.append(row)
                if dirty:
                    model.objects.bulk_update(dirty, fields)  # ciphertext only: not an audited change
                last = rows[-1].pk
            if stdout is not None and dirty:
                stdout.write(f"  {model._meta.label}: up to #{last}")
    return changed
