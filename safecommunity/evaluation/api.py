"""Evaluation on the API, under the same scoping; workflow steps are actions calling the services
(no state can be skipped). Experts see only their assigned, still-open applications."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from safecommunity.core.drf import ScopedReadOnlyViewSet

from . import permissions, services
from .filters import ApplicationFilterSet, DesignationFilterSet, FundFilterSet, RewardFilterSet
from .models import (
    Application,
    Designation,
    FundSpending,
    Grade,
    Rectification,
    Reward,
    Scheme,
    SchemeItem,
    SpecialFund,
)

ALL = permissions.view.roles


class SchemeItemSerializer(serializers.ModelSerializer):
    element = serializers.SlugRelatedField(slug_field="code", read_only=True)
    max_points = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = SchemeItem
        fields = ["id", "number", "element", "heading", "text", "expected_evidence", "is_placeholder",
                  "presence_points", "evidence_points", "effect_points", "max_points"]


class SchemeSerializer(serializers.ModelSerializer):
    items = SchemeItemSerializer(many=True, read_only=True)
    total_points = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    problems = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="Why the scheme cannot be chosen for an application ([] = it can).")

    class Meta:
        model = Scheme
        fields = ["id", "code", "name", "purpose", "pass_total", "rectify_total", "zero_item_fails", "grade_a_pct",
                  "grade_b_pct", "grade_c_pct", "grade_d_pct", "is_default", "declared_total", "family", "version",
                  "previous", "total_points", "problems", "items"]


class RectificationSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item.number", read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "application", "item", "deduction", "description", "status", "done_at", "done_note"]


class ApplicationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="org_unit.code", read_only=True)
    unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "unit", "unit_name", "scheme", "status", "submitted_at", "site_visit_on", "self_total",
                  "final_total", "result", "decided_at"]


class GradeSerializer(serializers.Serializer):
    """A part that does not apply to the item (0 points) takes no grade: leave it out or blank."""

    item = serializers.IntegerField()
    presence = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True, default="")
    evidence = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True, default="")
    effect = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class FinalGradeSerializer(GradeSerializer):
    departure_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.Serializer):
    forward = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PanelSerializer(serializers.Serializer):
    experts = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    lead = serializers.IntegerField(required=False, allow_null=True)
    site_visit_on = serializers.DateField()


class ConfirmSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExpertScoreRow(serializers.Serializer):
    """One expert score as `scores/` answers it (only those the user may see: blind scoring)."""

    expert = serializers.IntegerField()
    item = serializers.IntegerField(help_text="the scheme item's number")
    presence = serializers.CharField()
    evidence = serializers.CharField()
    effect = serializers.CharField()
    points = serializers.FloatField()
    comment = serializers.CharField()


class ApplicationViewSet(ScopedReadOnlyViewSet):
    model = Application
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    read_roles = ALL
    write_roles = ALL  # each action's service checks the role and scope
    select_related = ("org_unit", "scheme")

    def _answer(self, app):
        app.refresh_from_db()
        return Response(ApplicationSerializer(app).data)

    def _grade(self, request, serializer=GradeSerializer):
        s = serializer(data=request.data)
        s.is_valid(raise_exception=True)
        return s.validated_data

    @extend_schema(request=GradeSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="self-score", serializer_class=GradeSerializer)
    def self_score(self, request, pk=None):
        app = self.get_object()
        d = self._grade(request)
        services.self_score_set(application=app, actor=request.user, **d)
        return self._answer(app)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        app = self.get_object()
        services.application_submit(application=app, actor=request.user)
        return self._answer(app)

    @extend_schema(request=ReviewSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def review(self, request, pk=None):
        app = self.get_object()
        s = ReviewSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.application_review(application=app, actor=request.user, **s.validated_data)
        return self._answer(app)

    @extend_schema(request=PanelSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], serializer_class=PanelSerializer)
    def panel(self, request, pk=None):
        app = self.get_object()
        s = PanelSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        User = get_user_model()
        experts = list(User.objects.filter(pk__in=s.validated_data["experts"]))
        if len(experts) != len(set(s.validated_data["experts"])):
            raise serializers.ValidationError({"experts": ["未知的专家。"]})
        lead = User.objects.filter(pk=s.validated_data.get("lead")).first() if s.validated_data.get("lead") else None
        services.panel_assign(application=app, actor=request.user, experts=experts, lead=lead,
                              site_visit_on=s.validated_data["site_visit_on"])
        return self._answer(app)

    @extend_schema(request=GradeSerializer, responses=ExpertScoreRow(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=GradeSerializer, pagination_class=None)
    def scores(self, request, pk=None):
        """GET: the expert scores this user may see (blindness). POST: an expert scores an item."""
        app = self.get_object()
        if request.method == "POST":
            services.expert_score_set(application=app, actor=request.user, **self._grade(request))
        rows = services.visible_expert_scores(app, request.user)
        return Response([{"expert": s.member.expert_id, "item": s.item.number, "presence": s.presence,
                          "evidence": s.evidence, "effect": s.effect, "points": s.points, "comment": s.comment}
                         for s in rows])

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="submit-scores")
    def submit_scores(self, request, pk=None):
        app = self.get_object()
        services.expert_submit(application=app, actor=request.user)
        return self._answer(app)

    @extend_schema(request=FinalGradeSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="final-score", serializer_class=FinalGradeSerializer)
    def final_score(self, request, pk=None):
        app = self.get_object()
        services.final_score_set(application=app, actor=request.user, **self._grade(request, FinalGradeSerializer))
        return self._answer(app)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        app = self.get_object()
        services.application_decide(application=app, actor=request.user)
        return self._answer(app)

    @extend_schema(request=ConfirmSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], serializer_class=ConfirmSerializer)
    def confirm(self, request, pk=None):
        app = self.get_object()
        s = ConfirmSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.application_confirm(application=app, actor=request.user, note=s.validated_data["note"])
        return self._answer(app)


class RectificationViewSet(ScopedReadOnlyViewSet):
    model = Rectification
    serializer_class = RectificationSerializer
    read_roles = ALL
    write_roles = permissions.rectify.roles
    select_related = ("item",)

    @extend_schema(request=inline_serializer("RectificationDoneInput", {"note": serializers.CharField(required=False)}),
                   responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        r = self.get_object()
        services.rectification_done(rectification=r, actor=request.user, note=str(request.data.get("note", "")))
        r.refresh_from_db()
        return Response(RectificationSerializer(r).data)


class SchemeViewSet(ScopedReadOnlyViewSet):
    model = Scheme
    serializer_class = SchemeSerializer
    read_roles = ALL

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items__element")


class DesignationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="creating_unit.org_unit.code", read_only=True)

    class Meta:
        model = Designation
        fields = ["id", "unit", "level", "outcome", "certificate_no", "applied_on", "designated_on", "valid_until",
                  "document"]


class DesignationViewSet(ScopedReadOnlyViewSet):
    model = Designation
    serializer_class = DesignationSerializer
    filterset_class = DesignationFilterSet
    read_roles = permissions.designations.roles
    select_related = ("creating_unit__org_unit",)


class SpendingSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundSpending
        fields = ["id", "spent_on", "item", "amount"]


class FundSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="creating_unit.org_unit.code", read_only=True)
    spendings = SpendingSerializer(many=True, read_only=True)

    class Meta:
        model = SpecialFund
        fields = ["id", "unit", "year", "budget", "note", "spendings"]


class FundViewSet(ScopedReadOnlyViewSet):
    model = SpecialFund
    serializer_class = FundSerializer
    filterset_class = FundFilterSet
    read_roles = permissions.funds.roles
    select_related = ("creating_unit__org_unit",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("spendings")


class RewardSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="designation.creating_unit.org_unit.code", read_only=True)
    level = serializers.CharField(source="designation.level", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True)

    class Meta:
        model = Reward
        fields = ["id", "unit", "level", "district", "year", "amount", "paid_on"]


class RewardViewSet(ScopedReadOnlyViewSet):
    model = Reward
    serializer_class = RewardSerializer
    filterset_class = RewardFilterSet
    read_roles = permissions.rewards.roles
    select_related = ("designation__creating_unit__org_unit", "district")


def register(router):
    router.register("evaluation/applications", ApplicationViewSet, basename="evaluation-application")
    router.register("evaluation/rectifications", RectificationViewSet, basename="evaluation-rectification")
    router.register("evaluation/schemes", SchemeViewSet, basename="evaluation-scheme")
    router.register("evaluation/designations", DesignationViewSet, basename="evaluation-designation")
    router.register("evaluation/funds", FundViewSet, basename="evaluation-fund")
    router.register("evaluation/rewards", RewardViewSet, basename="evaluation-reward")
