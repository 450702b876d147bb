import factory

from safecommunity.reports.models import InformationOfficer


class InformationOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationOfficer

    name = factory.Faker("name", locale="zh_CN")
    phone = "13800000000"
