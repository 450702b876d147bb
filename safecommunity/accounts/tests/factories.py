import factory
from django.contrib.auth.hashers import make_password

from safecommunity.accounts.models import User
from safecommunity.orgunits.models import Department, OrgUnit

TEST_PASSWORD = "Test@pass2026"


class UserFactory(factory.django.DjangoModelFactory):
    """UserFactory(role="district", code="500103"): places the user by official code."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        exclude = ("code",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    role = "unit"
    code = "500103003"
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))

    @factory.lazy_attribute
    def org_unit(self):
        if self.role == "department":
            return None
        return OrgUnit.objects.get(code=self.code)

    @factory.lazy_attribute
    def department(self):
        return Department.objects.get(code=self.code) if self.role == "department" else None
