"""/api/v1/monthly-reports/ and /api/v1/information-officers/: the same scoping and state rules as
the pages. Workflow steps are actions calling the services, so a client cannot skip a state."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safecommunity.accounts.rules import in_scope
from safecommunity.core.drf import (
    OrgUnitField,
    ScopedModelViewSet,
    ScopedViewSetMixin,
)
from safecommunity.core.params import year_param
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import OrgUnit

from . import output, permissions, selectors, services
from .filters import InformationOfficerFilterSet, MonthlyReportFilterSet
from .models import InformationOfficer, MonthlyReport, UnlockRequest
from .periods import current_period, parse_period, period_param

REPORT_ROLES = permissions.REPORT_ROLES


class MonthlyReportSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = serializers.DateField(format="%Y-%m", read_only=True)
    signed_by = serializers.PrimaryKeyRelatedField(read_only=True)
    signed_by_name = serializers.CharField(source="signed_by.name", read_only=True, default="")
    last_actor = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = MonthlyReport
        fields = ["id", "org_unit", "district", "kind", "period", "status", "is_nil", "figures", "figures_built_at",
                  "work_done", "problems", "next_plans", "signed_by", "signed_by_name", "version",
                  "first_submitted_at", "submitted_at", "last_actor", "last_action_at"]
        read_only_fields = [f for f in fields if f not in ("is_nil", "work_done", "problems", "next_plans")]


class MonthlyReportDetailSerializer(MonthlyReportSerializer):
    """One report, with what the requesting user may do with it now (`actions`: the detail page's
    buttons, from permissions.allowed_actions)."""

    actions = serializers.SerializerMethodField()

    class Meta(MonthlyReportSerializer.Meta):
        fields = [*MonthlyReportSerializer.Meta.fields, "actions"]

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return sorted(permissions.allowed_actions(obj, request.user)) if request is not None else []


class ReportCreateSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM")


class ReportUpdateSerializer(serializers.Serializer):
    is_nil = serializers.BooleanField(required=False)
    work_done = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    next_plans = serializers.CharField(required=False, allow_blank=True)
    signed_by = serializers.IntegerField(required=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    field = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")


class BulkSerializer(serializers.Serializer):
    reports = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _counts(c) -> dict:
    return {"expected": c.expected, "submitted": c.submitted, "on_time": c.on_time, "nil": c.nil,
            "missing": c.missing, "completeness": c.completeness, "timeliness": c.timeliness}


class MonthlyReportViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    model = MonthlyReport
    serializer_class = MonthlyReportSerializer
    filterset_class = MonthlyReportFilterSet
    read_roles = REPORT_ROLES
    write_roles = REPORT_ROLES
    select_related = ("org_unit", "district", "signed_by", "last_actor")

    def get_serializer_class(self):
        return MonthlyReportDetailSerializer if self.action == "retrieve" else MonthlyReportSerializer

    def _detail(self, report):
        return MonthlyReportDetailSerializer(report, context=self.get_serializer_context()).data

    def _ok(self, report):
        report = self.get_queryset().get(pk=report.pk)
        return Response(self._detail(report))

    def _input(self, serializer_class):
        s = serializer_class(data=self.request.data)
        s.is_valid(raise_exception=True)
        return s.validated_data

    @extend_schema(request=ReportCreateSerializer, responses=MonthlyReportDetailSerializer)
    def create(self, request):
        data = self._input(ReportCreateSerializer)
        period = parse_period(data["period"])
        if period is None:
            raise serializers.ValidationError({"period": _("Write the month as YYYY-MM, e.g. 2026-03.")})
        user = request.user
        if not permissions.write(user):
            raise PermissionDenied(_("Your role may not write this report."))
        org_unit = selectors.own_report_unit(user)
        report = services.monthly_report_create(org_unit=org_unit, period=period, actor=user)
        return Response(self._detail(report), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportUpdateSerializer, responses=MonthlyReportDetailSerializer)
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self._input(ReportUpdateSerializer)
        officer = None
        if "signed_by" in data:
            officer = InformationOfficer.objects.visible_to(request.user).filter(pk=data.pop("signed_by")).first()
            if officer is None:
                raise serializers.ValidationError({"signed_by": _("Unknown information officer.")})
        report = services.monthly_report_update(report=report, actor=request.user, signed_by=officer, **data)
        return self._ok(report)

    @extend_schema(request=None, responses=MonthlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._ok(services.monthly_report_submit(report=self.get_object(), actor=request.user))

    @extend_schema(request=NoteSerializer, responses=MonthlyReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._input(NoteSerializer)
        return self._ok(services.monthly_report_approve(report=self.get_object(), actor=request.user,
                                                        note=data["note"]))

    @extend_schema(request=ReturnSerializer, responses=MonthlyReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = self._input(ReturnSerializer)
        return self._ok(services.monthly_report_return(report=self.get_object(), actor=request.user,
                                                       reason=data["reason"], comments=data["comments"]))

    @extend_schema(request=None, responses=MonthlyReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="refresh-figures")
    def refresh_figures(self, request, pk=None):
        return self._ok(services.monthly_report_refresh_figures(report=self.get_object(), actor=request.user))

    @extend_schema(request=ReasonSerializer, responses={201: inline_serializer("UnlockRequestCreated", {
        "id": serializers.IntegerField(), "status": serializers.CharField()})})
    @action(detail=True, methods=["post"], url_path="unlock-request")
    def unlock_request(self, request, pk=None):
        data = self._input(ReasonSerializer)
        req = services.unlock_request_create(report=self.get_object(), actor=request.user, reason=data["reason"])
        return Response({"id": req.pk, "status": req.status}, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=MonthlyReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="unlock-decision")
    def unlock_decision(self, request, pk=None):
        report = self.get_object()
        data = self._input(DecisionSerializer)
        req = get_object_or_404(UnlockRequest, report=report, status=UnlockRequest.Status.PENDING)
        services.unlock_request_decide(request=req, actor=request.user, grant=data["grant"], note=data["note"])
        return self._ok(report)

    @extend_schema(request=CommentSerializer, responses=inline_serializer("ReportCommentRow", {
        "field": serializers.CharField(), "text": serializers.CharField(), "author": serializers.CharField(),
        "at": serializers.DateTimeField(), "version": serializers.IntegerField(allow_null=True)}, many=True),
        filters=False)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        report = self.get_object()
        if request.method == "POST":
            data = self._input(CommentSerializer)
            services.report_comment_add(report=report, actor=request.user, field=data["field"], text=data["text"])
        return Response([{"field": c.field, "text": c.text, "author": str(c.author or ""), "at": c.at,
                          "version": c.version} for c in report.comments.select_related("author")])

    @extend_schema(responses=inline_serializer("ReportStepRow", {
        "action": serializers.CharField(), "from": serializers.CharField(), "to": serializers.CharField(),
        "actor": serializers.CharField(), "at": serializers.DateTimeField(), "note": serializers.CharField(),
        "version": serializers.IntegerField(allow_null=True), "batch": serializers.CharField(allow_null=True)},
        many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def steps(self, request, pk=None):
        return Response([{"action": s.action, "from": s.from_status, "to": s.to_status, "actor": str(s.actor or ""),
                          "at": s.at, "note": s.note, "version": s.version, "batch": s.batch}
                         for s in selectors.recent_steps(self.get_object())])

    @extend_schema(responses=inline_serializer("ReportReconcile", {
        "reconciles": serializers.BooleanField(), "differences": serializers.ListField(child=serializers.DictField())}))
    @action(detail=True, methods=["get"])
    def reconcile(self, request, pk=None):
        report = self.get_object()
        diff = selectors.report_reconcile(report)
        return Response({"reconciles": not diff, "differences": diff})

    @extend_schema(responses=inline_serializer("ReportDiff", {
        "versions": serializers.ListField(child=serializers.IntegerField(), allow_null=True),
        "changes": serializers.ListField(child=serializers.DictField())}))
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        d = selectors.report_diff(self.get_object())
        if d is None:
            return Response({"versions": None, "changes": []})
        return Response({"versions": [d["old"].number, d["new"].number], "changes": d["changes"]})

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = self.get_object()
        return output.report_pdf(report, list(selectors.recent_steps(report)))

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                              OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        report = self.get_object()
        return output.report_xlsx(report, list(selectors.recent_steps(report)))

    @extend_schema(request=BulkSerializer, responses=None)
    @action(detail=False, methods=["post"], url_path="bulk-approve")
    def bulk_approve(self, request):
        data = self._input(BulkSerializer)
        reports = list(self.get_queryset().filter(pk__in=data["reports"]))
        approved, skipped = services.monthly_report_bulk_approve(reports=reports, actor=request.user,
                                                                 note=data["note"])
        return Response({"approved": [r.pk for r in approved],
                         "skipped": [{"id": r.pk, "reason": reason} for r, reason in skipped]})

    def _district(self, request):
        code = request.query_params.get("district")
        if not code:
            return None
        return get_object_or_404(OrgUnit.objects.visible_to(request.user).districts(), code=code)

    @extend_schema(parameters=[
        OpenApiParameter("period", str, description="YYYY-MM (default: the current month)"),
        OpenApiParameter("district", str, description="a district's code: its units")],
        responses=inline_serializer("ReportsBoard", {
            "period": serializers.CharField(), "level": serializers.ChoiceField(["units", "districts"]),
            "rows": serializers.ListField(child=serializers.DictField())}))
    @action(detail=False, methods=["get"])
    def board(self, request):
        user = request.user
        if not permissions.review(user):
            raise PermissionDenied(_("Your role may not open this page."))
        period = period_param(request.query_params)
        district = self._district(request)
        if user.role == Role.DISTRICT or district is not None:
            rows, level = selectors.status_board_units(user=user, period=period, district=district), "units"
        else:
            rows, level = selectors.status_board_districts(user=user, period=period), "districts"
        return Response({"period": period.strftime("%Y-%m"), "level": level, "rows": [{
            "code": r.code, "name": r.name, "state": r.state, "report": r.report.pk if r.report else None,
            "is_nil": r.is_nil, "expected": r.expected, "on_time": r.on_time, "late": r.late,
            "last_actor": str(r.report.last_actor or "") if r.report else "",
            "last_action_at": r.report.last_action_at if r.report else None,
            "units_expected": r.expected_units, "unit_reports_received": r.received} for r in rows]})

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("district", str)],
                   responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def completeness(self, request):
        user = request.user
        if not permissions.review(user):
            raise PermissionDenied(_("Your role may not open this page."))
        year = year_param(request.query_params, current_period().year)
        district = user.district if user.role == Role.DISTRICT else self._district(request)
        if district is not None:
            return Response({"year": year, "district": district.code, "months": [
                {"period": p.strftime("%Y-%m"), **_counts(c)}
                for p, c in selectors.completeness_by_month(district=district, year=year)]})
        periods, rows, city = selectors.completeness_by_district(user=user, year=year)
        return Response({"year": year, "districts": [
            {"code": r["district"]["code"], "name": r["district"]["name"], **_counts(r["total"]),
             "months": [_counts(c) for c in r["months"]]} for r in rows], "city": _counts(city)})


class InformationOfficerSerializer(serializers.ModelSerializer):
    org_unit = OrgUnitField()

    class Meta:
        model = InformationOfficer
        fields = ["id", "org_unit", "name", "phone", "position", "user", "is_active"]
        extra_kwargs = {"user": {"read_only": True}}

    def validate_org_unit(self, value):
        user = self.context["request"].user
        if not in_scope(user, value) or not (value.is_creating_level or value.level == OrgUnit.Level.DISTRICT):
            raise serializers.ValidationError(_("Choose a creating unit or district in your area."))
        if user.role == Role.UNIT and value.pk != user.org_unit_id:
            raise serializers.ValidationError(_("A unit registers its own officers only."))
        return value


class InformationOfficerViewSet(ScopedModelViewSet):
    model = InformationOfficer
    serializer_class = InformationOfficerSerializer
    filterset_class = InformationOfficerFilterSet
    read_roles = REPORT_ROLES
    write_roles = REPORT_ROLES
    select_related = ("org_unit",)


def register(router):
    router.register("monthly-reports", MonthlyReportViewSet, basename="monthlyreport")
    router.register("information-officers", InformationOfficerViewSet, basename="informationofficer")
