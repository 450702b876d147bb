"""/api/v1/creation/…: the same data as the pages, with the same scoping. Writes and workflow
steps (launch, transition, completing a follow-up) are actions that call the services, so an
API client cannot skip a state either."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from safecommunity.core.drf import (
    OrgUnitField,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedReadOnlyViewSet,
)
from safecommunity.orgunits.filters import CreatingUnitFilterSet
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import permissions, services
from .filters import (
    AssessmentFilterSet,
    FollowUpFilterSet,
    LetterFilterSet,
    MeetingFilterSet,
    MemberFilterSet,
    PlanYearFilterSet,
    TransitionFilterSet,
)
from .models import (
    CreationTransition,
    DistrictAssessment,
    DistrictPlan,
    FollowUp,
    JointMeeting,
    JointMeetingMember,
    PlanYear,
    ResponsibilityLetter,
)
from .selectors import city_progress, plan_rows

CITY = permissions.CITY
OFFICES = permissions.plans.roles
WITH_UNITS = permissions.WITH_UNITS
PARSERS = [JSONParser, MultiPartParser, FormParser]


# --- Plans ---------------------------------------------------------------------------------------


class DistrictPlanSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="org_unit.code", read_only=True)
    district_name = serializers.CharField(source="org_unit.name", read_only=True)
    year = serializers.IntegerField(source="plan_year.year", read_only=True)
    quota = serializers.IntegerField(read_only=True)

    class Meta:
        model = DistrictPlan
        fields = ["id", "year", "district", "district_name", "category", "percentage", "township_count", "quota"]
        read_only_fields = ["township_count"]


class PlanYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanYear
        fields = ["year", "targets_cumulative", "target_launched", "target_city", "target_national",
                  "target_international", "target_international_max", "notes"]


class PlanYearViewSet(ScopedModelViewSet):
    """Plan years. `GET /plans/{year}/table/`: the plan table (per district and city totals)."""

    model = PlanYear
    serializer_class = PlanYearSerializer
    filterset_class = PlanYearFilterSet
    lookup_field = "year"
    read_roles = OFFICES
    write_roles = CITY
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.plan_year_open(year=data.pop("year"), actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("year", None)
        serializer.instance = services.plan_year_update(plan=serializer.instance, actor=self.request.user, **data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def table(self, request, year=None):
        plan = self.get_object()
        totals = plan_rows(request.user, plan)
        rows = [{
            "district": r.district.code, "district_name": r.district.name, "category": r.plan.category,
            "percentage": str(r.plan.percentage), "townships": r.townships, "quota": r.quota,
            "launched_this_year": r.launched_year, "launched_total": r.launched_total, "gap": r.gap,
            "pct_met": r.pct_met, "other_launched": r.other_launched, "designated": r.designated,
        } for r in totals.rows]
        body = {"year": plan.year, "rows": rows}
        if permissions.plan_targets(request.user):
            body["targets"] = [{"key": p["key"], "target": p["target"], "actual": p["actual"]}
                               for p in city_progress(request.user, plan)]
        return Response(body)


class DistrictPlanViewSet(ScopedModelViewSet):
    model = DistrictPlan
    serializer_class = DistrictPlanSerializer
    read_roles = OFFICES
    write_roles = CITY
    select_related = ("org_unit", "plan_year")
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        row = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.district_plan_update(
            row=row, actor=self.request.user, category=data.get("category", row.category),
            percentage=data.get("percentage", row.percentage))


# --- Lifecycle ------------------------------------------------------------------------------------


class TransitionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="creating_unit.org_unit.code", read_only=True)
    unit_name = serializers.CharField(source="creating_unit.org_unit.name", read_only=True)
    actor = serializers.StringRelatedField()
    document = serializers.SerializerMethodField()

    class Meta:
        model = CreationTransition
        fields = ["id", "unit", "unit_name", "from_status", "to_status", "effective_on", "reason", "actor", "at",
                  "valid_until", "document"]

    def get_document(self, obj) -> str | None:
        return obj.document.get_absolute_url() if obj.document_id else None


class CreationUnitSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="org_unit.code", read_only=True)
    name = serializers.CharField(source="org_unit.name", read_only=True)
    district = serializers.CharField(source="org_unit.parent.code", read_only=True)

    class Meta:
        model = CreatingUnit
        fields = ["id", "code", "name", "district", "kind", "status", "launch_year", "launched_on", "workforce"]


class LaunchInput(serializers.Serializer):
    units = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    launched_on = serializers.DateField()
    plan_file = serializers.FileField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=CreatingUnit.Status.choices)
    effective_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    document = serializers.FileField(required=False)
    valid_until = serializers.DateField(required=False)


class RegisterInput(serializers.Serializer):
    district = OrgUnitField(queryset=OrgUnit.objects.districts())
    kind = serializers.ChoiceField(choices=[CreatingUnit.Kind.ENTERPRISE, CreatingUnit.Kind.PARK])
    name = serializers.CharField(max_length=100)
    workforce = serializers.IntegerField(min_value=1)
    population = serializers.IntegerField(min_value=0, required=False)
    address = serializers.CharField(max_length=200, required=False, default="")
    contact_person = serializers.CharField(max_length=50, required=False, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, default="")


class CreationUnitViewSet(ScopedReadOnlyViewSet):
    """Creating units with their lifecycle. Actions: `POST launch/` (several units, all or nothing),
    `POST {id}/transition/`, `GET {id}/history/`, `POST register/` (enterprise-led community or park)."""

    model = CreatingUnit
    serializer_class = CreationUnitSerializer
    filterset_class = CreatingUnitFilterSet
    read_roles = WITH_UNITS
    write_roles = WITH_UNITS
    select_related = ("org_unit", "org_unit__parent")
    parser_classes = PARSERS

    @extend_schema(request=LaunchInput, responses={201: TransitionSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def launch(self, request):
        data = LaunchInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        ids = data.validated_data["units"]
        units = list(self.get_queryset().filter(pk__in=ids))
        if len(units) != len(set(ids)):
            return Response({"units": ["未找到所选单位，或不在您的管辖范围内。"]}, status=status.HTTP_404_NOT_FOUND)
        result = services.creating_units_launch(
            units=units, actor=request.user, launched_on=data.validated_data["launched_on"],
            plan_file=data.validated_data["plan_file"], reason=data.validated_data["reason"])
        return Response(TransitionSerializer(result, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionInput, responses={201: TransitionSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        unit = self.get_object()
        data = TransitionInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        result = services.creating_unit_transition_with_file(
            unit=unit, to=v["to"], actor=request.user, reason=v["reason"], effective_on=v.get("effective_on"),
            uploaded=v.get("document"), valid_until=v.get("valid_until"))
        return Response(TransitionSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TransitionSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        unit = self.get_object()
        qs = CreationTransition.objects.visible_to(request.user).filter(creating_unit=unit).select_related(
            "creating_unit__org_unit", "actor", "document")
        return Response(TransitionSerializer(qs, many=True).data)

    @extend_schema(request=RegisterInput, responses={201: CreationUnitSerializer})
    @action(detail=False, methods=["post"])
    def register(self, request):
        data = RegisterInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        unit = services.enterprise_unit_register(actor=request.user, **data.validated_data)
        return Response(CreationUnitSerializer(unit).data, status=status.HTTP_201_CREATED)


class TransitionViewSet(ScopedReadOnlyViewSet):
    model = CreationTransition
    serializer_class = TransitionSerializer
    filterset_class = TransitionFilterSet
    read_roles = WITH_UNITS
    select_related = ("creating_unit__org_unit", "actor", "document")


# --- Letters and assessments ------------------------------------------------------------------------


class LetterSerializer(serializers.ModelSerializer):
    org_unit = OrgUnitField()
    document = serializers.FileField(write_only=True, required=False)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = ResponsibilityLetter
        fields = ["id", "year", "level", "org_unit", "target_launched", "target_designated", "targets",
                  "upper_signatory", "lower_signatory", "signed_on", "document", "document_url"]
        validators = []  # uniqueness is the service's, with a Chinese message

    def get_document_url(self, obj) -> str | None:
        return obj.document.get_absolute_url() if obj.document_id else None


class LetterViewSet(ScopedModelViewSet):
    model = ResponsibilityLetter
    serializer_class = LetterSerializer
    filterset_class = LetterFilterSet
    read_roles = WITH_UNITS
    write_roles = OFFICES
    select_related = ("org_unit", "document")
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.letter_save(actor=self.request.user, uploaded=data.pop("document", None),
                                                   **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for key in ("year", "level", "org_unit"):
            data.pop(key, None)
        serializer.instance = services.letter_save(actor=self.request.user, letter=serializer.instance,
                                                   uploaded=data.pop("document", None), **data)


class AssessmentSerializer(serializers.ModelSerializer):
    district = OrgUnitField(source="org_unit", queryset=OrgUnit.objects.districts())
    target_launched = serializers.IntegerField(required=False, min_value=0)
    target_designated = serializers.IntegerField(required=False, min_value=0)

    class Meta:
        model = DistrictAssessment
        fields = ["id", "year", "district", "target_launched", "actual_launched", "target_designated",
                  "actual_designated", "score", "remarks"]
        read_only_fields = ["actual_launched", "actual_designated"]
        validators = []


class AssessmentViewSet(ScopedModelViewSet):
    model = DistrictAssessment
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    read_roles = OFFICES
    write_roles = CITY
    select_related = ("org_unit",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.assessment_save(actor=self.request.user, district=data.pop("org_unit"),
                                                       **data)


# --- Joint meetings --------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    org_unit = OrgUnitField()
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = JointMeetingMember
        fields = ["id", "org_unit", "department", "name", "is_lead", "contact_person", "contact_phone", "is_active"]
        validators = []


class MemberViewSet(ScopedModelViewSet):
    model = JointMeetingMember
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    read_roles = OFFICES
    write_roles = OFFICES
    select_related = ("org_unit", "department")
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.member_save(actor=self.request.user, **serializer.validated_data)


class FollowUpSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_label = serializers.CharField(read_only=True)
    meeting = serializers.IntegerField(source="decision.meeting_id", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "meeting", "decision", "task", "owner", "owner_label", "due_on", "status", "done_on",
                  "result"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)


class MeetingSerializer(serializers.ModelSerializer):
    org_unit = OrgUnitField()
    attendees = ScopedPrimaryKeyRelatedField(many=True, queryset=JointMeetingMember.objects.all(),
                                                   required=False)
    decisions = serializers.ListField(child=serializers.CharField(), write_only=True, required=False)
    decision_list = DecisionSerializer(source="decisions", many=True, read_only=True)
    minutes_url = serializers.SerializerMethodField()

    class Meta:
        model = JointMeeting
        fields = ["id", "org_unit", "title", "held_on", "location", "chair", "attendees", "other_attendees",
                  "summary", "decisions", "decision_list", "minutes_url"]

    def get_minutes_url(self, obj) -> str | None:
        return obj.minutes.get_absolute_url() if obj.minutes_id else None


class FollowUpInput(serializers.Serializer):
    decision = serializers.IntegerField()
    task = serializers.CharField(max_length=300)
    owner = serializers.IntegerField(required=False)
    owner_text = serializers.CharField(required=False, allow_blank=True, default="")
    due_on = serializers.DateField()


class MeetingViewSet(ScopedModelViewSet):
    """Joint meetings; `POST {id}/follow_ups/` turns a decision into a follow-up item."""

    model = JointMeeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    read_roles = OFFICES
    write_roles = OFFICES
    select_related = ("org_unit", "minutes")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendees", "decisions")

    def perform_create(self, serializer):
        serializer.instance = services.meeting_save(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=FollowUpInput, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow_ups")
    def follow_ups(self, request, pk=None):
        meeting = self.get_object()
        data = FollowUpInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        decision = get_object_or_404(meeting.decisions.all(), pk=v["decision"])
        owner = None
        if v.get("owner"):
            owner = get_object_or_404(JointMeetingMember.objects.visible_to(request.user), pk=v["owner"])
        item = services.follow_up_create(actor=request.user, decision=decision, task=v["task"], due_on=v["due_on"],
                                         owner=owner, owner_text=v["owner_text"])
        return Response(FollowUpSerializer(item).data, status=status.HTTP_201_CREATED)


class CompleteInput(serializers.Serializer):
    result = serializers.CharField()
    done_on = serializers.DateField(required=False)


class FollowUpViewSet(ScopedReadOnlyViewSet):
    """Follow-up items; `POST {id}/complete/` marks one done."""

    model = FollowUp
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    read_roles = permissions.follow_ups.roles
    write_roles = permissions.follow_ups.roles
    select_related = ("decision__meeting", "owner")

    @extend_schema(request=CompleteInput, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = self.get_object()
        data = CompleteInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        item = services.follow_up_complete(actor=request.user, item=item, **data.validated_data)
        return Response(FollowUpSerializer(item).data)


def register(router):
    router.register("creation/plans", PlanYearViewSet, basename="creation-plan")
    router.register("creation/district-plans", DistrictPlanViewSet, basename="creation-districtplan")
    router.register("creation/units", CreationUnitViewSet, basename="creation-unit")
    router.register("creation/transitions", TransitionViewSet, basename="creation-transition")
    router.register("creation/letters", LetterViewSet, basename="creation-letter")
    router.register("creation/assessments", AssessmentViewSet, basename="creation-assessment")
    router.register("creation/meeting-members", MemberViewSet, basename="creation-member")
    router.register("creation/meetings", MeetingViewSet, basename="creation-meeting")
    router.register("creation/follow-ups", FollowUpViewSet, basename="creation-followup")
