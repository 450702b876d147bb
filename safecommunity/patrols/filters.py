"""One FilterSet per list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.filters import CodeChoiceFilter
from safecommunity.core.scoping import within_q
from safecommunity.orgunits.filters import district_choices

from .models import Patrol, PatrolPoint

YES_NO = [("true", _("Yes")), ("false", _("No"))]


class PointFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="search")
    district = CodeChoiceFilter(label=_("District/county"), queryset=district_choices, method="in_district",
                                to_field_name="code")

    class Meta:
        model = PatrolPoint
        fields = ["q", "district"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(place__icontains=value) | Q(org_unit__name__icontains=value))

    def in_district(self, qs, name, value):
        return qs.filter(within_q("org_unit", value))


class PatrolFilterSet(PointFilterSet):
    marked = django_filters.ChoiceFilter(label=_("Marked"), choices=YES_NO, method="filter_marked",
                                         empty_label=_("All"))
    after = django_filters.DateFilter(label=_("From"), field_name="patrolled_at", lookup_expr="date__gte")
    before = django_filters.DateFilter(label=_("To"), field_name="patrolled_at", lookup_expr="date__lte")

    class Meta:
        model = Patrol
        fields = ["q", "district", "marked", "after", "before"]

    def search(self, qs, name, value):
        return qs.filter(Q(point__name__icontains=value) | Q(org_unit__name__icontains=value))

    def filter_marked(self, qs, name, value):
        marked = Q(too_far=True) | Q(outside_window=True)
        return qs.filter(marked) if value == "true" else qs.exclude(marked)
