"""Patrol points and patrols, read-only under /api/v1/ (records are made on the scan page)."""

from rest_framework import serializers

from safecommunity.core.drf import ScopedReadOnlyViewSet

from . import permissions
from .filters import PatrolFilterSet, PointFilterSet
from .models import Patrol, PatrolPoint

READ = permissions.view.roles


class PatrolPointSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="org_unit.code", read_only=True)
    items = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = PatrolPoint
        fields = ["id", "unit", "name", "place", "latitude", "longitude", "items", "every_days", "window_start",
                  "window_end", "max_distance_m", "is_active"]


class PatrolSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="org_unit.code", read_only=True)
    hazard = serializers.CharField(source="hazard.number", read_only=True, default=None)

    class Meta:
        model = Patrol
        fields = ["id", "point", "unit", "patrolled_at", "latitude", "longitude", "distance_m", "too_far",
                  "outside_window", "no_location", "answers", "note", "hazard"]


class PatrolPointViewSet(ScopedReadOnlyViewSet):
    model = PatrolPoint
    read_roles = READ
    serializer_class = PatrolPointSerializer
    filterset_class = PointFilterSet
    select_related = ("org_unit",)


class PatrolViewSet(ScopedReadOnlyViewSet):
    model = Patrol
    read_roles = READ
    serializer_class = PatrolSerializer
    filterset_class = PatrolFilterSet
    select_related = ("org_unit", "hazard")


def register(router):
    router.register("patrol-points", PatrolPointViewSet, basename="patrol-point")
    router.register("patrols", PatrolViewSet, basename="patrol")
