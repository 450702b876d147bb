from django.db import migrations

from safecommunity.core.codelists import AQT_ELEMENT, AQT_ELEMENTS, SAFETY_AREA, SAFETY_AREAS, seed_codelist


def seed(apps, schema_editor):
    seed_codelist(apps, SAFETY_AREA, "安全领域（12个方面）", SAFETY_AREAS,
                  description="事故与伤害记录、安全促进项目、隐患和培训共用的12个安全领域。")
    seed_codelist(apps, AQT_ELEMENT, "AQ/T 9001 要素", AQT_ELEMENTS,
                  description="《安全社区建设基本要求》(AQ/T 9001-2006) 的12个要素，用于档案索引和考核评定。")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
