"""Every value of the card's code lists (values.CARD_CODES, issue 16) as editable value mappings
on databases seeded before: the rows 0002 did not write (e.g. 故意(暴力、攻击)). Rows the city
already has — changed or not — are kept."""

from django.db import migrations


def seed(apps, schema_editor):
    from importlib import import_module

    import_module("safecommunity.feeds.migrations.0002_seed_value_mappings").seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0003_case_keys_and_indexes_for_bulk_import"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
