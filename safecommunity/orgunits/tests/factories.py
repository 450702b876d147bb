import factory

from safecommunity.orgunits.models import CreatingUnit, OrgUnit
from safecommunity.orgunits.services import next_unit_code


class EnterpriseUnitFactory(factory.django.DjangoModelFactory):
    """An enterprise-led community under a district: EnterpriseUnitFactory(district=tree['500103'])."""

    class Meta:
        model = CreatingUnit
        exclude = ("district", "name")

    district = None
    name = factory.Sequence(lambda n: f"测试企业社区{n}")
    kind = CreatingUnit.Kind.ENTERPRISE
    workforce = 1200

    @factory.lazy_attribute
    def org_unit(self):
        return OrgUnit.objects.create(
            code=next_unit_code(self.district, self.kind), name=self.name, level=OrgUnit.Level.ENTERPRISE,
            parent=self.district,
        )
