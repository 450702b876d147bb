"""One FilterSet per list, shared by the HTML pages and the API (as in netbox)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import CreatingUnit, Department, OrgUnit


def district_choices(request):
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.visible_to(request.user).districts()


class OrgUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=OrgUnit.Level.choices)
    division_type = django_filters.ChoiceFilter(label=_("Division type"), choices=OrgUnit.DivisionType.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("District/county"), queryset=district_choices, method="in_district", to_field_name="code"
    )

    class Meta:
        model = OrgUnit
        fields = ["q", "level", "division_type", "district"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(code__startswith=value))

    def in_district(self, qs, name, value):
        return qs.filter(path__startswith=value.path) if value else qs


class CreatingUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    district = django_filters.ModelChoiceFilter(
        label=_("District/county"), queryset=district_choices, method="in_district", to_field_name="code"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CreatingUnit.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Creation status"), choices=CreatingUnit.Status.choices)
    launch_year = django_filters.NumberFilter(label=_("Launch year"))

    class Meta:
        model = CreatingUnit
        fields = ["q", "district", "kind", "status", "launch_year"]

    def search(self, qs, name, value):
        return qs.filter(Q(org_unit__name__icontains=value) | Q(org_unit__code__startswith=value))

    def in_district(self, qs, name, value):
        return qs.filter(org_unit__path__startswith=value.path) if value else qs


class DepartmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or duty"), method="search")

    class Meta:
        model = Department
        fields = ["q"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(full_name__icontains=value) | Q(duties__icontains=value))
