"""Read-only API of inspections: inspections and follow-up items (scoped as the pages)."""

from rest_framework import serializers

from safecommunity.core.drf import ScopedReadOnlyViewSet

from . import filters, permissions
from .models import FollowUpItem, Inspection

ROLES = permissions.view.roles


class InspectionSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    plan = serializers.CharField(source="plan.title", read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "plan", "org_unit", "scheduled_on", "status", "inspected_on", "inspector", "summary"]


class FollowUpSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FollowUpItem
        fields = ["id", "org_unit", "finding", "review", "task", "due_on", "status", "closed_on", "result"]


class InspectionViewSet(ScopedReadOnlyViewSet):
    model = Inspection
    serializer_class = InspectionSerializer
    read_roles = ROLES
    filterset_class = filters.InspectionFilterSet
    select_related = ("org_unit", "plan")


class FollowUpViewSet(ScopedReadOnlyViewSet):
    model = FollowUpItem
    serializer_class = FollowUpSerializer
    read_roles = ROLES
    filterset_class = filters.FollowUpFilterSet
    select_related = ("org_unit",)


def register(router):
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("inspection-follow-ups", FollowUpViewSet, basename="inspection-follow-up")
