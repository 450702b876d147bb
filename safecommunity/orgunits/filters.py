"""One FilterSet per list, shared by the HTML pages and the API (as in netbox)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from safecommunity.core.scoping import within_q

from .models import CreatingUnit, Department, OrgUnit


def district_choices(request):
    """The districts a list may be filtered by: those in scope and the user's own district (a unit
    worker follows a drill-down "渝中区" to its own records, not to 选择一个有效的选项)."""
    if request is None:
        return OrgUnit.objects.none()
    user = request.user
    own = getattr(user, "district", None) if user.is_authenticated else None
    in_scope = Q(pk__in=OrgUnit.objects.visible_to(user).districts().values("pk"))
    return OrgUnit.objects.districts().filter(in_scope | Q(pk=own.pk) if own else in_scope)


@extend_schema_field(OpenApiTypes.STR)
class DistrictFilter(django_filters.ModelChoiceFilter):
    """A district in the user's scope, given by its code (e.g. ?district=500103)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("District/county"))
        kwargs.setdefault("queryset", district_choices)
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


class OrgUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=OrgUnit.Level.choices)
    division_type = django_filters.ChoiceFilter(label=_("Division type"), choices=OrgUnit.DivisionType.choices)
    district = DistrictFilter(method="in_district")

    class Meta:
        model = OrgUnit
        fields = ["q", "level", "division_type", "district"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(code__startswith=value))

    def in_district(self, qs, name, value):
        return qs.filter(within_q("", value)) if value else qs


class CreatingUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    district = DistrictFilter(method="in_district")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CreatingUnit.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Creation status"), choices=CreatingUnit.Status.choices)
    launch_year = django_filters.NumberFilter(label=_("Launch year"))

    class Meta:
        model = CreatingUnit
        fields = ["q", "district", "kind", "status", "launch_year"]

    def search(self, qs, name, value):
        return qs.filter(Q(org_unit__name__icontains=value) | Q(org_unit__code__startswith=value))

    def in_district(self, qs, name, value):
        return qs.filter(within_q("org_unit", value)) if value else qs


class DepartmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or duty"), method="search")

    class Meta:
        model = Department
        fields = ["q"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(full_name__icontains=value) | Q(duties__icontains=value))
