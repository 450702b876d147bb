import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecommunity.activities.filters import year_filter
from safecommunity.projects.filters import UnitYearFilterMixin

from .models import FollowUpItem, FollowUpStatus, Inspection, InspectionPlan, YearEndReview


class PlanFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    year = year_filter("starts_on")

    class Meta:
        model = InspectionPlan
        fields = ["q", "year", "unit"]


class InspectionFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Plan or unit"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Inspection.Status.choices)
    year = year_filter("scheduled_on")

    class Meta:
        model = Inspection
        fields = ["q", "status", "year", "unit"]

    def search(self, qs, name, value):
        return qs.filter(Q(plan__title__icontains=value) | Q(org_unit__name__icontains=value))


class FollowUpFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Task"), field_name="task", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FollowUpStatus.choices)
    year = year_filter("due_on")

    class Meta:
        model = FollowUpItem
        fields = ["q", "status", "year", "unit"]


class ReviewFilterSet(UnitYearFilterMixin):
    year = django_filters.NumberFilter(label=_("Year"), field_name="year", min_value=2000, max_value=2100)

    class Meta:
        model = YearEndReview
        fields = ["year", "unit"]
