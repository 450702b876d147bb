from decimal import Decimal

from django.db import migrations
from django.db.models import F, Sum


def forwards(apps, schema_editor):
    """Shipped schemes declare their total; every scheme is its own family (version 1). The
    broken demo scheme (20 × 5 points declared as 100, summing to 50, with placeholder texts) is
    removed when no application uses it: `safecommunity demo` now builds a correct one."""
    Scheme = apps.get_model("evaluation", "Scheme")
    Application = apps.get_model("evaluation", "Application")
    Scheme.objects.filter(family="").update(family=F("code"))
    Scheme.objects.filter(code="national-onsite", declared_total__isnull=True).update(declared_total=Decimal("150"))
    Scheme.objects.filter(code="isccc-self-check", declared_total__isnull=True).update(declared_total=Decimal("60"))
    demo = Scheme.objects.filter(code="chongqing-city").first()
    if demo is not None and not Application.objects.filter(scheme=demo).exists():
        total = demo.items.aggregate(t=Sum(F("presence_points") + F("evidence_points") + F("effect_points")))["t"]
        if total != Decimal("100") or demo.items.filter(is_placeholder=True).exists():
            demo.items.all().delete()
            demo.delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_scheme_versions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
