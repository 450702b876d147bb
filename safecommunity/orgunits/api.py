from rest_framework import serializers

from safecommunity.core.drf import ScopedReadOnlyViewSet

from .filters import CreatingUnitFilterSet, DepartmentFilterSet, OrgUnitFilterSet
from .models import CreatingUnit, Department, OrgUnit


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "level", "division_type", "parent", "path", "is_active"]


class CreatingUnitSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="org_unit.code", read_only=True)
    name = serializers.CharField(source="org_unit.name", read_only=True)
    district = serializers.CharField(source="org_unit.parent.code", read_only=True)

    class Meta:
        model = CreatingUnit
        fields = ["id", "code", "name", "district", "kind", "status", "launch_year", "launched_on",
                  "population", "workforce", "address"]


class DepartmentSerializer(serializers.ModelSerializer):
    safety_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "full_name", "duties", "safety_areas", "is_joint_meeting_member"]


class OrgUnitViewSet(ScopedReadOnlyViewSet):
    model = OrgUnit
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet
    lookup_field = "code"
    select_related = ("parent",)


class CreatingUnitViewSet(ScopedReadOnlyViewSet):
    model = CreatingUnit
    serializer_class = CreatingUnitSerializer
    filterset_class = CreatingUnitFilterSet
    select_related = ("org_unit", "org_unit__parent")


class DepartmentViewSet(ScopedReadOnlyViewSet):
    model = Department
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("safety_areas")


def register(router):
    router.register("orgunits", OrgUnitViewSet, basename="orgunit")
    router.register("creating-units", CreatingUnitViewSet, basename="creatingunit")
    router.register("departments", DepartmentViewSet, basename="department")
