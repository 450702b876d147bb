from django.db import migrations


def seal_existing(apps, schema_editor):
    """Chain the audit rows written before the chain existed, in id order (none on a new database:
    migrations write no audit rows)."""
    from safecommunity.security.audit import seal_existing as run

    run()


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial"), ("auditlog", "__latest__")]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
