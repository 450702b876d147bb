from django.db import migrations

DEFAULTS = [("general", 15), ("major", 90)]


def seed(apps, schema_editor):
    GradeDeadline = apps.get_model("hazards", "GradeDeadline")
    for grade, days in DEFAULTS:
        GradeDeadline.objects.get_or_create(grade=grade, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
