"""What the evaluation pages share: the application fetched in scope after the role check,
breadcrumbs and the PDF response (form pages are core.views.ServiceFormView)."""


from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from safecommunity.core.views import (
    BreadcrumbMixin,
    RoleRequiredMixin,
    get_visible_or_404,
    role_allows,
)

from .. import permissions
from ..models import (
    Application,
)


def crumbs_app():
    return [(_("Applications"), reverse("evaluation:application_list"))]


class ApplicationMixin(RoleRequiredMixin, BreadcrumbMixin):
    allowed_roles = permissions.view.roles

    def dispatch(self, request, *args, **kwargs):
        if role_allows(self, request):
            self.application = get_visible_or_404(
                request.user, Application.objects.select_related("scheme", "org_unit", "creating_unit"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return crumbs_app() + [(str(self.application), self.application.get_absolute_url())]


def pdf_response(data: bytes, filename: str, inline=True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
