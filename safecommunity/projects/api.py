from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from safecommunity.core.drf import (
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    UnitField,
)
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import Department
from safecommunity.records.drf import ServiceWriteMixin

from . import permissions as project_rules
from . import services
from .filters import EvaluationFilterSet, ProjectFilterSet
from .models import Indicator, PhaseEvaluation, Project

READ_ROLES = project_rules.view.roles


class ProjectSerializer(serializers.ModelSerializer):
    org_unit = UnitField(required=False)
    safety_area = ScopedSlugRelatedField(slug_field="code", queryset=CodeItem.objects.of("safety_area"))
    responsible_department = ScopedSlugRelatedField(slug_field="code", queryset=Department.objects.all(),
                                                          required=False, allow_null=True)
    supporting_departments = ScopedSlugRelatedField(slug_field="code", many=True,
                                                          queryset=Department.objects.all(), required=False)

    class Meta:
        model = Project
        fields = ["id", "org_unit", "name", "safety_area", "target_group", "problem", "objective", "measures",
                  "responsible_department", "responsible_person", "supporting_departments", "budget", "start_on",
                  "end_on", "status"]
        read_only_fields = ["status"]


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Project.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectViewSet(ServiceWriteMixin, ScopedModelViewSet):
    """Safety promotion projects; status changes only through `transition`."""

    model = Project
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    read_roles = READ_ROLES
    m2m_fields = ("supporting_departments",)
    element_code = "E05"
    select_related = ("org_unit", "safety_area", "responsible_department")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("supporting_departments")

    def save_record(self, obj, m2m):
        return services.project_save(project=obj, actor=self.request.user, m2m=m2m)

    @extend_schema(request=TransitionSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request, pk=None):
        project = self.get_object()
        if not project_rules.write(request.user):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        ser = TransitionSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        project = services.project_transition(project=project, actor=request.user, **ser.validated_data)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)


class IndicatorSerializer(serializers.ModelSerializer):
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())

    class Meta:
        model = Indicator
        fields = ["id", "project", "name", "unit", "baseline", "target", "survey_measure"]


class IndicatorViewSet(ServiceWriteMixin, ScopedModelViewSet):
    model = Indicator
    serializer_class = IndicatorSerializer
    read_roles = READ_ROLES
    filterset_fields = ["project"]

    def save_record(self, obj, m2m):
        return services.indicator_save(indicator=obj, actor=self.request.user)

    def perform_destroy(self, instance):
        services.indicator_delete(indicator=instance, actor=self.request.user)


class IndicatorValueSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class EvaluationSerializer(serializers.ModelSerializer):
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())
    values = IndicatorValueSerializer(many=True, required=False, write_only=True)

    class Meta:
        model = PhaseEvaluation
        fields = ["id", "project", "year", "half", "evaluated_on", "progress", "problems", "corrective_actions",
                  "conclusion", "values"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["values"] = [{"indicator": v.indicator_id, "value": str(v.value)} for v in instance.values.all()]
        return data


class EvaluationViewSet(ServiceWriteMixin, ScopedModelViewSet):
    """Half-yearly phase evaluations with their indicator values."""

    model = PhaseEvaluation
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    read_roles = READ_ROLES
    element_code = "E05"
    select_related = ("project", "project__org_unit")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("values")

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        values = {v["indicator"]: v["value"] for v in data.pop("values", [])}
        obj = instance or PhaseEvaluation()
        if instance is not None and "project" in data and data["project"].pk != instance.project_id:
            raise ValidationError({"project": _("An evaluation cannot move to another project.")})
        for name, value in data.items():
            setattr(obj, name, value)
        serializer.instance = services.evaluation_save(evaluation=obj, actor=self.request.user, values=values)

    def perform_destroy(self, instance):
        services.evaluation_delete(evaluation=instance, actor=self.request.user)


def register(router):
    router.register("projects", ProjectViewSet, basename="project")
    router.register("project-indicators", IndicatorViewSet, basename="project-indicator")
    router.register("project-evaluations", EvaluationViewSet, basename="project-evaluation")
