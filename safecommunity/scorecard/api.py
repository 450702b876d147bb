"""The scorecard on the API: a unit's rules and figures; a district's ranking; the city's districts;
the per-year minimums (the city writes them)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from safecommunity.core.drf import ScopedViewSetMixin
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import permissions, selectors
from .forms import YearForm
from .models import RuleSetting
from .services import rule_setting_set

YEAR = OpenApiParameter("year", int, description="Year (default: this year)")


def year_of(request) -> int:
    form = YearForm(request.query_params or None)
    if form.is_bound and not form.is_valid():
        raise DRFValidationError({"year": form.errors["year"]})
    return form.year_or_current()


class RuleResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    minimum = serializers.IntegerField()
    value = serializers.IntegerField()
    status = serializers.ChoiceField(choices=[selectors.MET, selectors.DUE, selectors.NOT_MET])
    records = serializers.CharField(help_text="Link to the records behind the figure")


class UnitScorecardSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    met = serializers.IntegerField()
    due = serializers.IntegerField()
    not_met = serializers.IntegerField()
    total = serializers.IntegerField()
    rules = RuleResultSerializer(many=True)


class DistrictRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    units = serializers.IntegerField()
    rules_met = serializers.IntegerField()
    rules_total = serializers.IntegerField()
    pct = serializers.IntegerField()
    compliant_units = serializers.IntegerField()
    district_rules = UnitScorecardSerializer()


class DistrictRankingSerializer(serializers.Serializer):
    district = UnitScorecardSerializer()
    units = UnitScorecardSerializer(many=True)


def result_data(card, request) -> dict:
    return {
        "code": card.org_unit.code, "name": card.org_unit.name, "year": card.year,
        "met": card.met, "due": card.due, "not_met": card.not_met, "total": card.total,
        "rules": [{"key": r.rule.key, "label": r.rule.label, "minimum": r.rule.minimum, "value": r.value,
                   "status": r.status, "records": request.build_absolute_uri(r.url) if r.url else ""}
                  for r in card.results],
    }


class ScorecardViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """GET /scorecards/?year= — the scorecards of the units in creation in scope, ranked;
    GET /scorecards/{unit code}/?year= — one unit's scorecard."""

    model = CreatingUnit
    read_roles = permissions.view.roles
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z]+"
    serializer_class = UnitScorecardSerializer
    pagination_class = None

    @extend_schema(parameters=[YEAR], responses=UnitScorecardSerializer(many=True))
    def list(self, request):
        year = year_of(request)
        units = list(self.get_queryset().filter(selectors.in_creation(year)).select_related("org_unit"))
        cards = sorted(selectors.scorecards(units, year), key=lambda c: (-c.met, c.org_unit.code))
        return Response([result_data(c, request) for c in cards])

    @extend_schema(parameters=[YEAR, OpenApiParameter("code", str, OpenApiParameter.PATH)],
                   responses=UnitScorecardSerializer)
    def retrieve(self, request, code=None):
        unit = get_object_or_404(self.get_queryset().select_related("org_unit"), org_unit__code=code)
        return Response(result_data(selectors.unit_scorecard(unit, year_of(request)), request))


class DistrictScorecardViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """GET /district-scorecards/?year= — districts in scope with their roll-up;
    GET /district-scorecards/{code}/?year= — a district's own rules and its units ranked."""

    model = OrgUnit
    read_roles = permissions.districts.roles
    lookup_field = "code"
    serializer_class = DistrictRowSerializer
    pagination_class = None

    def get_queryset(self):
        return super().get_queryset().districts()

    @extend_schema(parameters=[YEAR], responses=DistrictRowSerializer(many=True))
    def list(self, request):
        year = year_of(request)
        rows = selectors.city_rollup(request.user, year)
        return Response([{"code": r["district"].code, "name": r["district"].name, "units": r["units"],
                          "rules_met": r["rules_met"], "rules_total": r["rules_total"], "pct": r["pct"],
                          "compliant_units": r["compliant"], "district_rules": result_data(r["district_card"], request)}
                         for r in rows])

    @extend_schema(parameters=[YEAR], responses=DistrictRankingSerializer)
    def retrieve(self, request, code=None):
        district = get_object_or_404(self.get_queryset(), code=code)
        data = selectors.district_ranking(request.user, district, year_of(request))
        return Response({"district": result_data(data["district_card"], request),
                         "units": [result_data(c, request) for c in data["cards"]]})


class RuleSettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleSetting
        fields = ["id", "year", "key", "minimum", "is_active"]
        validators = []


class RuleSettingViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """The per-year minimums the city set (a rule without a row uses its default minimum).
    POST {year, key, minimum, is_active} creates or replaces the year's setting."""

    model = RuleSetting
    serializer_class = RuleSettingSerializer
    read_roles = permissions.view.roles
    write_roles = permissions.rules.roles
    filterset_fields = ["year", "key"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = rule_setting_set(year=d["year"], key=d["key"], minimum=d["minimum"],
                                               is_active=d.get("is_active", True), actor=self.request.user)

    def perform_update(self, serializer):
        inst, d = serializer.instance, serializer.validated_data
        serializer.instance = rule_setting_set(year=inst.year, key=inst.key, minimum=d.get("minimum", inst.minimum),
                                               is_active=d.get("is_active", inst.is_active), actor=self.request.user)


def register(router):
    router.register("scorecards", ScorecardViewSet, basename="scorecard")
    router.register("district-scorecards", DistrictScorecardViewSet, basename="district-scorecard")
    router.register("scorecard-rules", RuleSettingViewSet, basename="scorecard-rule")
