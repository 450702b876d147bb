import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.filters import CodeChoiceFilter
from safecommunity.core.models import CodeItem
from safecommunity.core.scoping import within_q
from safecommunity.orgunits.models import Department, OrgUnit

from .models import PhaseEvaluation, Project


class UnitYearFilterMixin(django_filters.FilterSet):
    """`unit` (an org unit code: that unit and below) and `year` filters used by scorecard links."""

    unit = django_filters.CharFilter(label=_("Unit or district code"), method="in_unit")

    def in_unit(self, qs, name, value):
        unit = OrgUnit.objects.filter(code=value.strip()).first()
        if unit is None:
            return qs.none()
        field = getattr(qs, "scope_field", "org_unit") or "org_unit"
        return qs.filter(within_q(field, unit))


def safety_areas(request):
    return CodeItem.objects.of("safety_area")


class ProjectFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Name or target group"), method="search")
    safety_area = django_filters.ModelChoiceFilter(label=_("Safety area"), queryset=safety_areas,
                                                   to_field_name="code")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices)
    department = CodeChoiceFilter(label=_("Department"), queryset=Department.objects.all(),
                                  method="by_department", to_field_name="code")
    year = django_filters.NumberFilter(label=_("Running in year"), method="running_in", min_value=2000,
                                       max_value=2100)

    class Meta:
        model = Project
        fields = ["q", "safety_area", "status", "department", "year", "unit"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(target_group__icontains=value))

    def by_department(self, qs, name, value):
        supported = Project.objects.filter(supporting_departments=value).values("pk")
        return qs.filter(Q(responsible_department=value) | Q(pk__in=supported))

    def running_in(self, qs, name, value):
        y = int(value)
        return qs.filter(Q(start_on__year__lte=y) & (Q(end_on__isnull=True) | Q(end_on__year__gte=y)))


class EvaluationFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Project"), field_name="project__name", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    half = django_filters.ChoiceFilter(label=_("Half year"), choices=PhaseEvaluation.Half.choices)

    class Meta:
        model = PhaseEvaluation
        fields = ["q", "year", "half", "unit"]
