from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views import View

from safecommunity.core.views import RoleRequiredMixin

from .models import Attachment


class AttachmentDownloadView(RoleRequiredMixin, View):
    """Files are only ever served through here, after the scope check (out of scope: 404)."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        inline = attachment.kind == Attachment.Kind.PHOTO or request.GET.get("inline") == "1"
        return FileResponse(attachment.file.open("rb"), as_attachment=not inline, filename=attachment.original_name)
