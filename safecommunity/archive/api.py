from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from safecommunity.core.drf import ScopedReadOnlyViewSet
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import CreatingUnit

from . import permissions, services
from .filters import AttachmentFilterSet
from .models import Attachment

READ = permissions.view.roles
WRITE = permissions.write.roles


class AttachmentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="org_unit.code", read_only=True)
    element = serializers.CharField(source="effective_element_code", read_only=True)
    uploaded_by = serializers.StringRelatedField()
    download_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "unit", "title", "original_name", "kind", "element", "document_date", "size", "sha256",
                  "uploaded_by", "uploaded_at", "verified_at", "verified_ok", "role", "download_url"]


class FileDocumentSerializer(serializers.Serializer):
    unit = serializers.CharField()
    element = serializers.CharField()
    title = serializers.CharField(max_length=200)
    document_date = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField()


class AttachmentViewSet(ScopedReadOnlyViewSet):
    """The creation archive. `verify` re-checks the checksum; `file` files a document directly."""

    model = Attachment
    serializer_class = AttachmentSerializer
    filterset_class = AttachmentFilterSet
    read_roles = READ
    write_roles = WRITE
    select_related = ("org_unit", "element", "uploaded_by", "content_type")

    @extend_schema(request=None, responses=inline_serializer("ArchiveVerifyResult", {
        "id": serializers.IntegerField(), "intact": serializers.BooleanField(),
        "status": serializers.ChoiceField(choices=["intact", "changed"])}))
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        attachment = self.get_object()
        ok = services.attachment_check(attachment=attachment, actor=request.user)
        return Response({"id": attachment.pk, "intact": ok, "status": "intact" if ok else "changed"})

    @extend_schema(request=FileDocumentSerializer, responses={201: AttachmentSerializer})
    @action(detail=False, methods=["post"], serializer_class=FileDocumentSerializer)
    def file(self, request):
        data = FileDocumentSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = get_object_or_404(CreatingUnit.objects.visible_to(request.user), org_unit__code=d["unit"])
        element = CodeItem.objects.of("aqt_element").filter(code=d["element"]).first()
        att = services.attachment_file(uploaded=d["file"], org_unit=unit.org_unit, actor=request.user,
                                       element=element, title=d["title"], document_date=d.get("document_date"))
        return Response(AttachmentSerializer(att).data, status=201)


def register(router):
    router.register("archive/files", AttachmentViewSet, basename="attachment")
