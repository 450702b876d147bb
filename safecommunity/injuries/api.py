"""API under /api/v1/injuries/…: records (read and write through the services), reporting
sources, populations and statistics, with the same scoping and masking as the pages."""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from safecommunity.core.drf import (
    FormatSuffixMixin,
    OrgUnitField,
    RolePermission,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedReadOnlyViewSet,
    ScopedSlugRelatedField,
)
from safecommunity.core.models import CodeItem

from . import choices, permissions, selectors, services
from .forms import InjuryRecordFilterSet, PopulationFilterSet, SourceFilterSet
from .models import InjuryRecord, Population, ReportingSource

READ_ROLES = permissions.READ_ROLES
WRITE_ROLES = permissions.WRITE_ROLES


def _code(key):
    return ScopedSlugRelatedField(slug_field="code", queryset=CodeItem.objects.of(key))


class InjuryRecordSerializer(serializers.ModelSerializer):
    org_unit = OrgUnitField()
    safety_area = _code(choices.SAFETY_AREA)
    place = _code(choices.PLACE)
    activity = _code(choices.ACTIVITY)
    mechanism = _code(choices.MECHANISM)
    intent = _code(choices.INTENT)
    nature = ScopedSlugRelatedField(slug_field="code", queryset=CodeItem.objects.of(choices.NATURE),
                                          required=False, allow_null=True)
    body_part = ScopedSlugRelatedField(slug_field="code", queryset=CodeItem.objects.of(choices.BODY_PART),
                                             required=False, allow_null=True)
    severity = _code(choices.SEVERITY)
    outcome = _code(choices.OUTCOME)
    source = ScopedPrimaryKeyRelatedField(queryset=ReportingSource.objects.all())
    name = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=50)
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20)
    personal = serializers.SerializerMethodField()

    class Meta:
        model = InjuryRecord
        fields = ["id", "org_unit", "place_detail", "occurred_on", "occurred_time", "age", "age_band", "sex",
                  "safety_area", "place", "activity", "mechanism", "intent", "nature", "body_part", "severity",
                  "outcome", "source", "name", "id_number", "phone", "personal", "created_at"]
        read_only_fields = ["age_band", "created_at"]

    def get_personal(self, obj) -> dict:
        if not obj.has_personal:
            return {"name": "", "id_number": "", "phone": ""}
        return obj.personal_for(self.context["request"].user)

    def validate(self, attrs):
        return attrs  # the services validate (same rules and messages as the pages)

    def _save(self, instance, validated):
        personal = {k: validated.pop(k, None) for k in ("name", "id_number", "phone")}
        for k, v in validated.items():
            setattr(instance, k, v)
        try:
            return services.record_save(actor=self.context["request"].user, record=instance, **personal)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc

    def create(self, validated):
        return self._save(InjuryRecord(), validated)

    def update(self, instance, validated):
        return self._save(instance, validated)


class InjuryRecordViewSet(ScopedModelViewSet):
    model = InjuryRecord
    serializer_class = InjuryRecordSerializer
    filterset_class = InjuryRecordFilterSet
    read_roles = READ_ROLES
    write_roles = WRITE_ROLES
    select_related = ("org_unit", "safety_area", "place", "activity", "mechanism", "intent", "nature", "body_part",
                      "severity", "outcome")

    def perform_destroy(self, instance):
        services.record_delete(actor=self.request.user, record=instance)


class ReportingSourceSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportingSource
        fields = ["id", "org_unit", "name", "kind", "contact", "is_active"]


class ReportingSourceViewSet(ScopedReadOnlyViewSet):
    model = ReportingSource
    serializer_class = ReportingSourceSerializer
    filterset_class = SourceFilterSet
    read_roles = permissions.sources.roles
    select_related = ("org_unit", "kind")


class PopulationSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Population
        fields = ["id", "org_unit", "year", "total", "workforce", "denominator", "counts"]

    def get_counts(self, obj) -> list[dict]:
        return [{"sex": c.sex, "age_band": c.age_band, "count": c.count} for c in obj.counts.all()]


class PopulationViewSet(ScopedReadOnlyViewSet):
    model = Population
    serializer_class = PopulationSerializer
    filterset_class = PopulationFilterSet
    read_roles = READ_ROLES
    select_related = ("org_unit",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("counts")


class StatisticsViewSet(FormatSuffixMixin, viewsets.ViewSet):
    """GET /api/v1/injuries/statistics/?unit=<code>&year=<yyyy>[&area=<safety area code>]"""

    permission_classes = [RolePermission]
    read_roles = READ_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, description="org unit code (default: the user's own)"),
            OpenApiParameter("year", int),
            OpenApiParameter("area", str, description="safety area code"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request):
        from django.utils import timezone

        try:
            unit = selectors.analysis_unit(request.user, request.GET.get("unit", ""))
        except Http404:
            return Response({"detail": "Not found."}, status=404)
        year = selectors.analysis_year(request.GET, timezone.localdate().year)
        area = None
        if request.GET.get("area"):
            area = CodeItem.objects.of(choices.SAFETY_AREA).filter(code=request.GET["area"]).first()
            if area is None:
                return Response({"area": ["未知的安全领域代码。"]}, status=400)
        a = selectors.analysis(request.user, unit, year, area)

        def rows(items):
            return [{"key": r.key, "label": r.label, "count": r.count, "rate_per_1000": r.rate,
                     "population": r.population} for r in items]

        return Response({
            "unit": unit.code, "year": year, "area": area.code if area else None, "total": a.total,
            "population": a.population, "rate_per_1000": a.rate,
            "units_without_population": [{"name": str(n), "records": c} for n, c in a.missing],
            "breakdowns": {k: rows(v) for k, v in a.breakdowns.items()},
            "trend": rows(a.trend), "top_problems": rows(a.top), "children": rows(a.children),
        })


def register(router):
    router.register("injuries/records", InjuryRecordViewSet, basename="injuries-record")
    router.register("injuries/sources", ReportingSourceViewSet, basename="injuries-source")
    router.register("injuries/population", PopulationViewSet, basename="injuries-population")
    router.register("injuries/statistics", StatisticsViewSet, basename="injuries-statistics")
