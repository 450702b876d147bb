"""Read-only API of surveys: rounds with their progress, and each round's indicators."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from safecommunity.core.drf import ScopedReadOnlyViewSet

from . import filters, permissions, selectors
from .models import Questionnaire, SurveyRound


class QuestionnaireSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "org_unit", "family", "version", "title", "kind", "status", "published_at"]


class RoundSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SurveyRound
        fields = ["id", "org_unit", "questionnaire", "title", "starts_on", "ends_on", "population", "margin",
                  "sampling", "design_effect", "requires_code", "status"]


class QuestionnaireViewSet(ScopedReadOnlyViewSet):
    model = Questionnaire
    serializer_class = QuestionnaireSerializer
    read_roles = permissions.design.roles
    filterset_class = filters.QuestionnaireFilterSet
    select_related = ("org_unit",)


class RoundViewSet(ScopedReadOnlyViewSet):
    model = SurveyRound
    serializer_class = RoundSerializer
    read_roles = permissions.field.roles
    filterset_class = filters.RoundFilterSet
    select_related = ("org_unit", "questionnaire")

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True)
    def results(self, request, pk=None):
        r = self.get_object()
        results = selectors.round_results(r, request.user)
        rows = [{"indicator": row.key, "label": row.label, "n": row.overall.n, "positive": row.overall.yes,
                 "rate": row.overall.value, "ci_low": row.overall.low, "ci_high": row.overall.high}
                for row in results["rows"]]
        out = {"progress": {k: v for k, v in selectors.round_progress(r).items() if k != "by_channel"},
               "indicators": rows}
        hh = results.get("household")
        if hh:
            out["household"] = {"households": hh.households, "persons": hh.persons, "injuries": hh.total.cases,
                                "incidence_per_1000": hh.total.rate, "ci_low": hh.total.low, "ci_high": hh.total.high}
        return ApiResponse(out)


def register(router):
    router.register("survey-questionnaires", QuestionnaireViewSet, basename="survey-questionnaire")
    router.register("survey-rounds", RoundViewSet, basename="survey-round")
