"""One FilterSet per list, shared by the pages and the API."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.core.filters import CodeChoiceFilter, YearFilter
from safecommunity.core.scoping import within_q
from safecommunity.orgunits.filters import district_choices
from safecommunity.orgunits.models import CreatingUnit

from .choices import FollowUpStatus, LetterLevel
from .models import (
    CreationTransition,
    DistrictAssessment,
    FollowUp,
    JointMeeting,
    JointMeetingMember,
    PlanYear,
    ResponsibilityLetter,
)


class DistrictFilterMixin(django_filters.FilterSet):
    district = CodeChoiceFilter(
        label=_("District/county"), queryset=district_choices, method="in_district", to_field_name="code"
    )
    district_field = "org_unit"

    def in_district(self, qs, name, value):
        return qs.filter(within_q(self.district_field, value)) if value else qs


class PlanYearFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = PlanYear
        fields = ["year"]


class TransitionFilterSet(DistrictFilterMixin):
    q = django_filters.CharFilter(label=_("Unit name or code"), method="search")
    to_status = django_filters.ChoiceFilter(label=_("New status"), choices=CreatingUnit.Status.choices)
    year = YearFilter(label=_("Year"), field_name="effective_on", lookup_expr="year")
    district_field = "creating_unit__org_unit"

    class Meta:
        model = CreationTransition
        fields = ["q", "district", "to_status", "year"]

    def search(self, qs, name, value):
        return qs.filter(Q(creating_unit__org_unit__name__icontains=value)
                         | Q(creating_unit__org_unit__code__startswith=value))


class LetterFilterSet(DistrictFilterMixin):
    q = django_filters.CharFilter(label=_("Unit or signatory"), method="search")
    year = django_filters.NumberFilter(label=_("Year"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=LetterLevel.choices)

    class Meta:
        model = ResponsibilityLetter
        fields = ["q", "year", "level", "district"]

    def search(self, qs, name, value):
        return qs.filter(Q(org_unit__name__icontains=value) | Q(upper_signatory__icontains=value)
                         | Q(lower_signatory__icontains=value))


class AssessmentFilterSet(DistrictFilterMixin):
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = DistrictAssessment
        fields = ["year", "district"]


class MemberFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Member unit"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = JointMeetingMember
        fields = ["q"]


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), method="search")
    year = YearFilter(label=_("Year"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = JointMeeting
        fields = ["q", "year"]

    def search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(summary__icontains=value))


class FollowUpFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Task or owner"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FollowUpStatus.choices)
    overdue = django_filters.ChoiceFilter(label=_("Overdue only"), method="only_overdue",
                                          choices=[("1", _("Yes"))], empty_label=_("All"))

    class Meta:
        model = FollowUp
        fields = ["q", "status", "overdue"]

    def search(self, qs, name, value):
        return qs.filter(Q(task__icontains=value) | Q(owner__name__icontains=value) | Q(owner_text__icontains=value))

    def only_overdue(self, qs, name, value):
        if value == "1":
            return qs.filter(status=FollowUpStatus.OPEN, due_on__lt=timezone.localdate())
        return qs


class TitleFilterSet(DistrictFilterMixin):
    q = django_filters.CharFilter(label=_("Unit name or code"), method="search")
    status = django_filters.ChoiceFilter(label=_("Title held"), choices=[
        (s, CreatingUnit.Status(s).label) for s in (CreatingUnit.Status.CITY, CreatingUnit.Status.NATIONAL,
                                                    CreatingUnit.Status.INTERNATIONAL)])
    validity = django_filters.ChoiceFilter(label=_("Validity"), method="by_validity", empty_label=_("All"),
                                           choices=[("expired", _("Expired")), ("soon", _("Expires within 180 days"))])

    class Meta:
        model = CreatingUnit
        fields = ["q", "district", "status", "validity"]

    def search(self, qs, name, value):
        return qs.filter(Q(org_unit__name__icontains=value) | Q(org_unit__code__startswith=value))

    def by_validity(self, qs, name, value):
        today = timezone.localdate()
        if value == "expired":
            return qs.filter(title_valid_until__lt=today)
        if value == "soon":
            return qs.filter(title_valid_until__gte=today, title_valid_until__lte=today + timedelta(days=180))
        return qs
