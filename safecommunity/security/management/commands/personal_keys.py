"""Personal-data keys: `new` prints a new key, `status` counts tokens per key, `rotate` re-encrypts."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from safecommunity.core import personal
from safecommunity.security import keys


class Command(BaseCommand):
    help = ("Personal-data keys (PERSONAL_DATA_KEYS). new: print a new key line to put first in the setting; "
            "status: tokens per key; rotate: re-encrypt every value under the current (first) key, in batches.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["new", "status", "rotate"])
        parser.add_argument("--id", default="", help="id of the new key (default k<date>)")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, action, **opts):
        if action == "new":
            self.stdout.write(keys.new_key_line(opts["id"] or f"k{timezone.localdate():%Y%m%d}"))
            return
        if action == "status":
            self.stdout.write(f"current key: {personal.key_id()}")
            for label, counter in keys.key_usage().items():
                self.stdout.write(f"{label}: " + (", ".join(f"{k} {n}" for k, n in sorted(counter.items())) or "—"))
            return
        n = keys.rotate(batch=opts["batch"], stdout=self.stdout)
        self.stdout.write(f"re-encrypted {n} values under key {personal.key_id()}")
