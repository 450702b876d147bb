"""/api/v1/hazards/ and /api/v1/risk-entries/: the same scoping and the same state rules as
the pages. Workflow steps are actions calling the services, so no client can skip a state."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safecommunity.accounts.rules import in_scope, require_role
from safecommunity.core.drf import OrgUnitField, ScopedSlugRelatedField, ScopedViewSetMixin
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import Department

from . import permissions, selectors, services
from .choices import Grade
from .filters import HazardFilterSet, RiskEntryFilterSet
from .models import GradeDeadline, Hazard, HazardStep, RiskEntry

READ_ROLES = permissions.READ_ROLES


def area_field(**kwargs):
    return ScopedSlugRelatedField(slug_field="code", queryset=CodeItem.objects.of("safety_area"), **kwargs)


def department_field(**kwargs):
    return ScopedSlugRelatedField(slug_field="code", queryset=Department.objects.all(), **kwargs)


class HazardStepSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = HazardStep
        fields = ["id", "action", "from_status", "to_status", "actor", "at", "note", "measures", "cost", "photos"]


class HazardSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsible_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    safety_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    photos = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = ["id", "number", "org_unit", "address", "latitude", "longitude", "safety_area", "description",
                  "grade", "finder", "found_on", "status", "responsible_unit", "responsible_party", "department",
                  "deadline", "is_overdue", "assigned_at", "measures", "cost", "closed_at", "closed_on",
                  "is_supervised", "supervisor", "supervised_at", "photos", "allowed_actions"]
        read_only_fields = fields

    def get_photos(self, obj) -> list[dict]:
        from django.urls import reverse

        return [{"id": p.pk, "role": p.role, "name": p.original_name,
                 "url": reverse("hazards:hazard_photo", args=[obj.pk, p.pk])}
                for p in sorted(obj.attachments.all(), key=lambda a: a.pk)]

    def get_allowed_actions(self, obj) -> list[str]:
        return services.allowed_actions(self.context["request"].user, obj)


class HazardReportSerializer(serializers.Serializer):
    org_unit = OrgUnitField()
    address = serializers.CharField(max_length=200)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    safety_area = area_field()
    description = serializers.CharField()
    grade = serializers.ChoiceField(choices=Grade.choices)
    finder = serializers.CharField(max_length=50)
    found_on = serializers.DateField(required=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False)


class AssignSerializer(serializers.Serializer):
    responsible_unit = OrgUnitField()
    responsible_party = serializers.CharField(max_length=100, required=False, allow_blank=True)
    department = department_field(required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField()


class SubmitSerializer(serializers.Serializer):
    measures = serializers.CharField()
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0)
    photos = serializers.ListField(child=serializers.FileField(), required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class DeadlineSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    note = serializers.CharField()


class SuperviseSerializer(serializers.Serializer):
    supervisor = serializers.CharField(max_length=50)
    note = serializers.CharField(required=False, allow_blank=True)


class HazardViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """Hazards in the user's scope. POST reports one; each step of the loop is an action."""

    model = Hazard
    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    read_roles = READ_ROLES
    write_roles = READ_ROLES  # the services decide who may take each step
    select_related = ("org_unit", "responsible_unit", "department", "safety_area")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attachments")

    @extend_schema(request=HazardReportSerializer, responses=HazardSerializer)
    def create(self, request, *args, **kwargs):
        require_role(request.user, *services.REPORT_ROLES)
        data = HazardReportSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if not in_scope(request.user, values["org_unit"]):
            raise serializers.ValidationError({"org_unit": [
                _("%(unit)s is outside your area of responsibility.") % {"unit": values["org_unit"]}]})
        hazard = services.hazard_report(actor=request.user, **values)
        return Response(self.get_serializer(hazard).data, status=status.HTTP_201_CREATED)

    def _step(self, request, func, serializer_class):
        hazard = self.get_object()
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        func(hazard=hazard, actor=request.user, **data.validated_data)
        hazard.refresh_from_db()
        return Response(self.get_serializer(hazard).data)

    @extend_schema(request=AssignSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(request, services.hazard_assign, AssignSerializer)

    @extend_schema(request=NoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._step(request, services.hazard_start, NoteSerializer)

    @extend_schema(request=SubmitSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, services.hazard_submit, SubmitSerializer)

    @extend_schema(request=NoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(request, services.hazard_accept, NoteSerializer)

    @extend_schema(request=RequiredNoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._step(request, services.hazard_return, RequiredNoteSerializer)

    @extend_schema(request=DeadlineSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def deadline(self, request, pk=None):
        return self._step(request, services.hazard_set_deadline, DeadlineSerializer)

    @extend_schema(request=SuperviseSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._step(request, services.hazard_supervise, SuperviseSerializer)

    @extend_schema(request=RequiredNoteSerializer, responses=HazardSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        return self._step(request, services.hazard_comment, RequiredNoteSerializer)

    @extend_schema(responses=HazardStepSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def steps(self, request, pk=None):
        hazard = self.get_object()
        return Response(HazardStepSerializer(hazard.steps.select_related("actor").prefetch_related("photos"), many=True).data)

    @extend_schema(responses=HazardSerializer(many=True))
    @action(detail=False, methods=["get"])
    def worklist(self, request):
        qs = selectors.hazard_worklist(request.user).select_related(*self.select_related).prefetch_related(
            "attachments")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def stats(self, request):
        by = request.query_params.get("by", "district")
        if by not in selectors.GROUPINGS:
            return Response({"by": [f"by: {', '.join(selectors.GROUPINGS)}"]}, status=status.HTTP_400_BAD_REQUEST)
        year = request.query_params.get("year")
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            return Response({"year": ["2000–2100"]}, status=status.HTTP_400_BAD_REQUEST)
        rows = selectors.hazard_stats(request.user, by=by, year=int(year) if year else None)
        total = selectors.stats_total(rows)
        total["label"] = str(total["label"])
        return Response({"by": by, "rows": [{**r, "label": str(r["label"])} for r in rows], "total": total})


class RiskEntrySerializer(serializers.ModelSerializer):
    org_unit = OrgUnitField()
    safety_area = area_field()
    department = department_field(required=False, allow_null=True)

    class Meta:
        model = RiskEntry
        fields = ["id", "org_unit", "kind", "name", "description", "safety_area", "risk_level", "count", "address",
                  "latitude", "longitude", "department", "measures", "last_reviewed_on"]

    def validate(self, attrs):
        return attrs  # the service runs the model's full_clean

    def create(self, validated_data):
        return services.risk_entry_save(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        data = {"org_unit": instance.org_unit, "kind": instance.kind, **validated_data}
        return services.risk_entry_save(actor=self.context["request"].user, entry=instance, **data)


class RiskEntryViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    model = RiskEntry
    serializer_class = RiskEntrySerializer
    filterset_class = RiskEntryFilterSet
    read_roles = READ_ROLES
    write_roles = services.REGISTER_ROLES
    select_related = ("org_unit", "safety_area", "department")

    def perform_destroy(self, instance):
        services.risk_entry_delete(actor=self.request.user, entry=instance)


class GradeDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = GradeDeadline
        fields = ["grade", "days"]
        read_only_fields = ["grade"]


class GradeDeadlineViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The default rectification period of each grade: every working role reads, the city edits."""

    model = GradeDeadline
    serializer_class = GradeDeadlineSerializer
    read_roles = READ_ROLES
    write_roles = permissions.deadline_settings.roles
    lookup_field = "grade"
    pagination_class = None

    def get_queryset(self):
        return GradeDeadline.objects.all()

    def perform_update(self, serializer):
        days = serializer.validated_data.get("days", serializer.instance.days)  # a PATCH may leave it out
        serializer.instance = services.grade_deadline_set(actor=self.request.user, grade=serializer.instance.grade,
                                                          days=days)


def register(router):
    router.register("hazards", HazardViewSet, basename="hazard")
    router.register("risk-entries", RiskEntryViewSet, basename="riskentry")
    router.register("hazard-deadlines", GradeDeadlineViewSet, basename="gradedeadline")


