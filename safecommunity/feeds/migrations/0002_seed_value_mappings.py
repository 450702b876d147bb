"""The national injury report card's standard values, mapped to the injuries code lists."""

from django.db import migrations

CODELISTS = {
    "mechanism": "injury_mechanism", "place": "injury_place", "activity": "injury_activity",
    "intent": "injury_intent", "nature": "injury_nature", "body_part": "injury_body_part",
    "severity": "injury_severity", "outcome": "injury_outcome",
}


def seed(apps, schema_editor):
    from safecommunity.feeds.values import STANDARD

    ValueMapping = apps.get_model("feeds", "ValueMapping")
    CodeItem = apps.get_model("core", "CodeItem")
    existing = set(ValueMapping.objects.values_list("field", "value"))
    rows = []
    for field, table in STANDARD.items():
        items = dict(CodeItem.objects.filter(codelist__key=CODELISTS[str(field)]).values_list("code", "pk"))
        for value, code in table.items():
            if (str(field), value) not in existing and code in items:
                rows.append(ValueMapping(field=str(field), value=value, item_id=items[code]))
    ValueMapping.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0001_initial"),
        ("injuries", "0002_seed_codelists"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
