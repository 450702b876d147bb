"""What the evaluation pages share: the form → service page, the application fetched in scope after
the role check, breadcrumbs and the PDF response."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from safecommunity.core.forms import apply_service_errors
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


class FormPage(RoleRequiredMixin, BreadcrumbMixin, FormView):
    """A form whose valid data go to a service; service errors land on the form, nothing saved."""

    template_name = "core/form.html"
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                url = self.perform(form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(url)


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
