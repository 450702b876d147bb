"""API pieces of the record framework (projects, activities): writes through the record
services, and a `files` action that attaches evidence through the archive."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from safecommunity.core.roles import Role

from .services import READ_ROLES, WRITE_ROLES, evidence_add, evidence_of, record_delete, record_save


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    role = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class EvidenceUploadSerializer(serializers.Serializer):
    role = serializers.CharField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class ServiceWriteMixin:
    """perform_create/update/destroy through the services; m2m fields set after the save."""

    read_roles = READ_ROLES
    write_roles = WRITE_ROLES
    m2m_fields: tuple[str, ...] = ()
    element_code = ""

    def save_record(self, obj, m2m):
        return record_save(obj=obj, actor=self.request.user, m2m=m2m)

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        m2m = {name: data.pop(name) for name in self.m2m_fields if name in data}
        model = self.model
        obj = instance or model()
        for name, value in data.items():
            setattr(obj, name, value)
        user = self.request.user
        if hasattr(obj, "org_unit_id") and obj.org_unit_id is None:
            if user.role != Role.UNIT:
                raise ValidationError({"org_unit": _("Choose the unit the record belongs to.")})
            obj.org_unit_id = user.org_unit_id
        with transaction.atomic():
            serializer.instance = self.save_record(obj, m2m)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        record_delete(obj=instance, actor=self.request.user)

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={200: AttachmentSerializer(many=True), 201: AttachmentSerializer(many=True)},
                   filters=False)
    @action(detail=True, methods=["get", "post"], serializer_class=EvidenceUploadSerializer, pagination_class=None)
    def files(self, request, pk=None):
        """GET: the evidence files of the record; POST (multipart: role, title, files): attach files."""
        obj = self.get_object()
        if request.method == "POST":
            if not (request.user.is_superuser or request.user.role in self.write_roles):
                from rest_framework.exceptions import PermissionDenied

                raise PermissionDenied()
            # Read the fields from request.data as it is: a copy of a multipart QueryDict deep-copies
            # its uploaded files, and a file over FILE_UPLOAD_MAX_MEMORY_SIZE (an open temporary
            # file) cannot be copied — every upload over 5 MB answered 500.
            payload = {"role": request.data.get("role", ""), "title": request.data.get("title", ""),
                       "files": request.FILES.getlist("files")}
            ser = EvidenceUploadSerializer(data=payload)
            ser.is_valid(raise_exception=True)
            added = evidence_add(obj=obj, files=ser.validated_data["files"], role=ser.validated_data["role"],
                                 actor=request.user, element_code=self.element_code, title=ser.validated_data["title"])
            return Response(AttachmentSerializer(added, many=True).data, status=status.HTTP_201_CREATED)
        return Response(AttachmentSerializer(evidence_of(obj), many=True).data)
