from django.db import migrations

from safecommunity.core.codelists import seed_codelist

# A frozen copy of the defaults at the time of this migration.
from safecommunity.injuries.codes import CODELISTS


def seed(apps, schema_editor):
    for key, (name, items) in CODELISTS.items():
        seed_codelist(apps, key, name, items)


class Migration(migrations.Migration):
    dependencies = [
        ("injuries", "0001_initial"),
        ("core", "0002_seed_codelists"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
