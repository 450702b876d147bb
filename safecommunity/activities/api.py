from rest_framework import serializers

from safecommunity.core.drf import (
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    UnitField,
)
from safecommunity.core.models import CodeItem
from safecommunity.records.drf import ServiceWriteMixin

from . import filters, services
from .models import Activity, Drill, EmergencyPlan, EmergencyTeam, Equipment, Meeting, TeamMember


def serializer_for(model_cls, field_names, *, district=False, extra=None):
    attrs = {
        "org_unit": UnitField(allow_district=district, required=False),
        "Meta": type("Meta", (), {"model": model_cls, "fields": ["id", "org_unit", *field_names]}),
        **(extra or {}),
    }
    return type(f"{model_cls.__name__}Serializer", (serializers.ModelSerializer,), attrs)


ActivitySerializer = serializer_for(
    Activity, ["kind", "title", "held_on", "audience", "participants", "organiser", "location", "safety_area",
               "content"], district=True,
    extra={"safety_area": ScopedSlugRelatedField(slug_field="code", queryset=CodeItem.objects.of("safety_area"),
                                                       required=False, allow_null=True)})
EmergencyPlanSerializer = serializer_for(EmergencyPlan, ["event_type", "title", "version", "approved_on",
                                                         "approved_by", "summary"])
EquipmentSerializer = serializer_for(Equipment, ["name", "category", "quantity", "location", "acquired_on",
                                                 "last_checked_on", "next_check_on", "retired_on", "notes"])
EmergencyTeamSerializer = serializer_for(EmergencyTeam, ["name", "leader", "phone", "established_on", "duties"])
DrillSerializer = serializer_for(
    Drill, ["title", "event_type", "scenario", "held_on", "participants", "team", "evaluation", "follow_up"],
    extra={"team": ScopedPrimaryKeyRelatedField(queryset=EmergencyTeam.objects.all(), required=False, allow_null=True)})
MeetingSerializer = serializer_for(Meeting, ["kind", "title", "held_on", "chair", "attendees", "minutes",
                                             "decisions"])


def viewset_for(model_cls, serializer, filterset, element):
    attrs = {"model": model_cls, "serializer_class": serializer, "filterset_class": filterset,
             "element_code": element, "select_related": ("org_unit",)}
    return type(f"{model_cls.__name__}ViewSet", (ServiceWriteMixin, ScopedModelViewSet), attrs)


class TeamMemberSerializer(serializers.ModelSerializer):
    team = ScopedPrimaryKeyRelatedField(queryset=EmergencyTeam.objects.all())

    class Meta:
        model = TeamMember
        fields = ["id", "team", "name", "position", "phone", "skills"]


class TeamMemberViewSet(ServiceWriteMixin, ScopedModelViewSet):
    model = TeamMember
    serializer_class = TeamMemberSerializer
    filterset_fields = ["team"]

    def save_record(self, obj, m2m):
        return services.member_save(member=obj, actor=self.request.user)

    def perform_destroy(self, instance):
        services.member_remove(member=instance, actor=self.request.user)


VIEWSETS = [
    ("activities", "activity", viewset_for(Activity, ActivitySerializer, filters.ActivityFilterSet, "E06")),
    ("emergency-plans", "emergency-plan", viewset_for(EmergencyPlan, EmergencyPlanSerializer, filters.EmergencyPlanFilterSet, "E07")),
    ("equipment", "equipment", viewset_for(Equipment, EquipmentSerializer, filters.EquipmentFilterSet, "E07")),
    ("emergency-teams", "emergency-team", viewset_for(EmergencyTeam, EmergencyTeamSerializer, filters.EmergencyTeamFilterSet, "E07")),
    ("drills", "drill", viewset_for(Drill, DrillSerializer, filters.DrillFilterSet, "E07")),
    ("meetings", "meeting", viewset_for(Meeting, MeetingSerializer, filters.MeetingFilterSet, "E12")),
]


def register(router):
    for prefix, basename, viewset in VIEWSETS:
        router.register(prefix, viewset, basename=basename)
    router.register("team-members", TeamMemberViewSet, basename="team-member")
