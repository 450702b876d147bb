from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    from safecommunity.evaluation.seeds import ensure_default_schemes

    ensure_default_schemes(apps.get_model("evaluation", "Scheme"), apps.get_model("evaluation", "SchemeItem"),
                           apps.get_model("core", "CodeItem"))
    apps.get_model("evaluation", "EvaluationPolicy").objects.get_or_create(pk=1)
    RewardRate = apps.get_model("evaluation", "RewardRate")
    for level, amount in (("city", "50000"), ("national", "100000"), ("international", "200000")):
        RewardRate.objects.get_or_create(level=level, defaults={"amount": Decimal(amount)})


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("core", "0002_seed_codelists"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
