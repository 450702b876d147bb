import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.filters import CodeChoiceFilter
from safecommunity.core.scoping import within_q
from safecommunity.orgunits.filters import district_choices

from .models import InformationOfficer, MonthlyReport
from .periods import parse_period


def validate_period(value):
    if value and parse_period(value) is None:
        raise ValidationError(_("Write the month as YYYY-MM, e.g. 2026-03."))


class MonthlyReportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Unit name or code"), method="search")
    period = django_filters.CharFilter(label=_("Month (YYYY-MM)"), method="in_period", validators=[validate_period])
    district = CodeChoiceFilter(label=_("District/county"), queryset=district_choices,
                                                method="in_district", to_field_name="code")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MonthlyReport.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MonthlyReport.Status.choices)
    is_nil = django_filters.ChoiceFilter(label=_("Nil report"), choices=[("1", _("Yes")), ("0", _("No"))],
                                         method="nil")

    class Meta:
        model = MonthlyReport
        fields = ["q", "period", "district", "kind", "status", "is_nil"]

    def search(self, qs, name, value):
        return qs.filter(Q(org_unit__name__icontains=value) | Q(org_unit__code__startswith=value))

    def nil(self, qs, name, value):
        return qs.filter(is_nil=value == "1")

    def in_period(self, qs, name, value):
        return qs.filter(period=parse_period(value))

    def in_district(self, qs, name, value):
        return qs.filter(district=value) if value else qs


class InformationOfficerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or unit"), method="search")
    district = CodeChoiceFilter(label=_("District/county"), queryset=district_choices,
                                                method="in_district", to_field_name="code")
    is_active = django_filters.ChoiceFilter(label=pgettext_lazy("person", "Active"), choices=[("1", _("Yes")), ("0", _("No"))],
                                            method="active")

    class Meta:
        model = InformationOfficer
        fields = ["q", "district", "is_active"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(org_unit__name__icontains=value)
                         | Q(org_unit__code__startswith=value))

    def in_district(self, qs, name, value):
        return qs.filter(within_q("org_unit", value)) if value else qs

    def active(self, qs, name, value):
        return qs.filter(is_active=value == "1")
