"""One FilterSet per list, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.filters import CodeChoiceFilter
from safecommunity.core.models import CodeItem
from safecommunity.core.scoping import within_q
from safecommunity.orgunits.filters import district_choices
from safecommunity.orgunits.models import Department

from .choices import Grade, RegisterKind, RiskLevel, Status
from .models import Hazard, RiskEntry
from .services import local_today

YES_NO = [("true", _("Yes")), ("false", _("No"))]


def area_choices(request):
    return CodeItem.objects.of("safety_area")


class HazardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="search")
    district = CodeChoiceFilter(
        label=_("District/county"), queryset=district_choices, method="in_district", to_field_name="code"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    safety_area = django_filters.ModelChoiceFilter(label=_("Safety area"), queryset=area_choices,
                                                   to_field_name="code")
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all(),
                                                  to_field_name="code")
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue",
                                          empty_label=_("All"))
    supervised = django_filters.ChoiceFilter(label=_("Under supervision"), choices=YES_NO, method="filter_supervised",
                                             empty_label=_("All"))
    found_after = django_filters.DateFilter(label=_("Found from"), field_name="found_on", lookup_expr="gte")
    found_before = django_filters.DateFilter(label=_("Found to"), field_name="found_on", lookup_expr="lte")

    class Meta:
        model = Hazard
        fields = ["q", "district", "status", "grade", "safety_area", "department", "overdue", "supervised",
                  "found_after", "found_before"]

    def search(self, qs, name, value):
        value = value.strip()
        q = (Q(address__icontains=value) | Q(description__icontains=value) | Q(org_unit__name__icontains=value)
             | Q(responsible_party__icontains=value) | Q(finder__icontains=value))
        if value.upper().startswith("YH") and value[6:].isdigit():
            q |= Q(pk=int(value[6:]))
        return qs.filter(q)

    def in_district(self, qs, name, value):
        return qs.filter(within_q("org_unit", value)) if value else qs

    def filter_overdue(self, qs, name, value):
        if value not in ("true", "false"):
            return qs
        late = qs.overdue(local_today())
        return late if value == "true" else qs.exclude(pk__in=late.values("pk"))

    def filter_supervised(self, qs, name, value):
        if value not in ("true", "false"):
            return qs
        return qs.filter(is_supervised=value == "true")


class RiskEntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="search")
    district = CodeChoiceFilter(
        label=_("District/county"), queryset=district_choices, method="in_district", to_field_name="code"
    )
    kind = django_filters.ChoiceFilter(label=_("Register"), choices=RegisterKind.choices)
    risk_level = django_filters.ChoiceFilter(label=_("Risk level"), choices=RiskLevel.choices)
    safety_area = django_filters.ModelChoiceFilter(label=_("Safety area"), queryset=area_choices,
                                                   to_field_name="code")
    review_due = django_filters.ChoiceFilter(label=_("Review over a year old"), choices=YES_NO,
                                             method="filter_review_due", empty_label=_("All"))

    class Meta:
        model = RiskEntry
        fields = ["q", "district", "kind", "risk_level", "safety_area", "review_due"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(org_unit__name__icontains=value))

    def in_district(self, qs, name, value):
        return qs.filter(within_q("org_unit", value)) if value else qs

    def filter_review_due(self, qs, name, value):
        if value not in ("true", "false"):
            return qs
        today = local_today()
        cutoff = today.replace(year=today.year - 1) if not (today.month == 2 and today.day == 29) \
            else today.replace(year=today.year - 1, day=28)
        if value == "true":
            return qs.filter(last_reviewed_on__lt=cutoff)
        return qs.filter(last_reviewed_on__gte=cutoff)

