import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.filters import CodeChoiceFilter
from safecommunity.core.scoping import within_q
from safecommunity.orgunits.filters import district_choices

from .models import Application, Designation, ExpertProfile, Reward, Scheme, SpecialFund


class UnitSearchMixin(django_filters.FilterSet):
    unit_path = "org_unit"

    def search(self, qs, name, value):
        return qs.filter(Q(**{f"{self.unit_path}__name__icontains": value})
                         | Q(**{f"{self.unit_path}__code__startswith": value}))

    def in_district(self, qs, name, value):
        return qs.filter(within_q(self.unit_path, value)) if value else qs


class SchemeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=Scheme.Purpose.choices)

    class Meta:
        model = Scheme
        fields = ["q", "purpose"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value))


class ExpertFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, field or affiliation"), method="search")
    home_district = django_filters.ModelChoiceFilter(label=_("Home district"), queryset=district_choices)

    class Meta:
        model = ExpertProfile
        fields = ["q", "home_district", "is_active"]

    def search(self, qs, name, value):
        return qs.filter(Q(user__full_name__icontains=value) | Q(field__icontains=value)
                         | Q(affiliation__icontains=value))


class ApplicationFilterSet(UnitSearchMixin):
    q = django_filters.CharFilter(label=_("Unit (name or code)"), method="search")
    district = CodeChoiceFilter(label=_("District/county"), queryset=district_choices,
                                                method="in_district", to_field_name="code")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Application.Status.choices)
    result = django_filters.ChoiceFilter(label=_("Result"), choices=Application.Result.choices)

    class Meta:
        model = Application
        fields = ["q", "district", "status", "result"]


class DesignationFilterSet(UnitSearchMixin):
    unit_path = "creating_unit__org_unit"
    q = django_filters.CharFilter(label=_("Unit (name or code)"), method="search")
    district = CodeChoiceFilter(label=_("District/county"), queryset=district_choices,
                                                method="in_district", to_field_name="code")
    level = django_filters.ChoiceFilter(label=_("Title level"), choices=Designation.Level.choices)
    outcome = django_filters.ChoiceFilter(label=pgettext_lazy("designation", "Outcome"), choices=Designation.Outcome.choices)

    class Meta:
        model = Designation
        fields = ["q", "district", "level", "outcome"]


class FundFilterSet(UnitSearchMixin):
    unit_path = "creating_unit__org_unit"
    q = django_filters.CharFilter(label=_("Unit (name or code)"), method="search")
    district = CodeChoiceFilter(label=_("District/county"), queryset=district_choices,
                                                method="in_district", to_field_name="code")
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = SpecialFund
        fields = ["q", "district", "year"]


class RewardFilterSet(UnitSearchMixin):
    unit_path = "designation__creating_unit__org_unit"
    q = django_filters.CharFilter(label=_("Unit (name or code)"), method="search")
    year = django_filters.NumberFilter(label=_("Year"))
    level = django_filters.ChoiceFilter(label=_("Title level"), field_name="designation__level",
                                        choices=Designation.Level.choices)

    class Meta:
        model = Reward
        fields = ["q", "year", "level"]
