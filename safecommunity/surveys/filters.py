import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecommunity.activities.filters import year_filter
from safecommunity.projects.filters import UnitYearFilterMixin

from .models import Questionnaire, SurveyRound


class QuestionnaireFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Questionnaire.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Questionnaire.Status.choices)

    class Meta:
        model = Questionnaire
        fields = ["q", "kind", "status"]


class RoundFilterSet(UnitYearFilterMixin):
    q = django_filters.CharFilter(label=_("Title or unit"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), field_name="questionnaire__kind",
                                       choices=Questionnaire.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SurveyRound.Status.choices)
    year = year_filter("starts_on")

    class Meta:
        model = SurveyRound
        fields = ["q", "kind", "status", "year", "unit"]

    def search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(org_unit__name__icontains=value))
