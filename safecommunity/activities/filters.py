import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.projects.filters import UnitYearFilterMixin

from .models import Activity, Drill, EmergencyPlan, EmergencyTeam, Equipment, EventType, Meeting


def year_filter(field):
    return django_filters.NumberFilter(label=_("Year"), field_name=field, lookup_expr="year", min_value=2000,
                                       max_value=2100)


class ActivityFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Title, audience or organiser"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Activity.Kind.choices)
    year = year_filter("held_on")

    class Meta:
        model = Activity
        fields = ["q", "kind", "year", "unit"]

    def search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(audience__icontains=value) | Q(organiser__icontains=value))


class EmergencyPlanFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    event_type = django_filters.ChoiceFilter(label=_("Event type"), choices=EventType.choices)
    year = django_filters.NumberFilter(label=_("In force in year"), field_name="approved_on", lookup_expr="year__lte",
                                       min_value=2000, max_value=2100)

    class Meta:
        model = EmergencyPlan
        fields = ["q", "event_type", "year", "unit"]


class EquipmentFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Name, category or location"), method="search")
    year = django_filters.NumberFilter(label=_("In service in year"), method="in_service", min_value=2000,
                                       max_value=2100)
    overdue = django_filters.BooleanFilter(label=_("Check overdue"), method="check_overdue")

    class Meta:
        model = Equipment
        fields = ["q", "year", "overdue", "unit"]

    def check_overdue(self, qs, name, value):
        overdue = Q(next_check_on__lt=timezone.localdate(), retired_on__isnull=True)
        return qs.filter(overdue) if value else qs.exclude(overdue)

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(category__icontains=value) | Q(location__icontains=value))

    def in_service(self, qs, name, value):
        y = int(value)
        return qs.filter(Q(acquired_on__isnull=True) | Q(acquired_on__year__lte=y)).filter(
            Q(retired_on__isnull=True) | Q(retired_on__year__gte=y))


class EmergencyTeamFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Team name or leader"), method="search")
    year = django_filters.NumberFilter(label=_("Existing in year"), field_name="established_on",
                                       lookup_expr="year__lte", min_value=2000, max_value=2100)

    class Meta:
        model = EmergencyTeam
        fields = ["q", "year", "unit"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(leader__icontains=value))


class DrillFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Title or scenario"), method="search")
    event_type = django_filters.ChoiceFilter(label=_("Event type"), choices=EventType.choices)
    year = year_filter("held_on")

    class Meta:
        model = Drill
        fields = ["q", "event_type", "year", "unit"]

    def search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(scenario__icontains=value))


class MeetingFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Meeting.Kind.choices)
    year = year_filter("held_on")

    class Meta:
        model = Meeting
        fields = ["q", "kind", "year", "unit"]
