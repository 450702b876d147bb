"""Pages that set the reporting up: information officers and reporting deadlines."""



from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from safecommunity.core.forms import apply_service_errors as apply_errors
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
)

from . import permissions, services
from .filters import InformationOfficerFilterSet
from .forms import (
    InformationOfficerForm,
    ReportDeadlineForm,
)
from .models import InformationOfficer, ReportDeadline
from .periods import (
    due_on,
    previous_months,
)
from .views import LIST_CRUMB, REPORT_ROLES

# --- information officers and deadlines ------------------------------------------------------

class OfficerListView(ScopedListView):
    model = InformationOfficer
    allowed_roles = REPORT_ROLES
    filterset_class = InformationOfficerFilterSet
    title = gettext_lazy("Information officers")
    select_related = ("org_unit", "user")
    create_url_name = "reports:officer_create"
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Unit"), "org_unit.name"),
        Column(gettext_lazy("Code"), "org_unit.code"),
        Column(gettext_lazy("Position"), "position"),
        Column(gettext_lazy("Phone"), "phone"),
        Column(gettext_lazy("User account"), "user.username"),
        Column(pgettext_lazy("person", "Active"), lambda o: _("Yes") if o.is_active else _("No")),
    ]


class OfficerCreateView(ScopedCreateView):
    model = InformationOfficer
    form_class = InformationOfficerForm
    allowed_roles = REPORT_ROLES
    title = gettext_lazy("New information officer")
    breadcrumbs = [(gettext_lazy("Information officers"), reverse_lazy("reports:officer_list"))]
    success_url = reverse_lazy("reports:officer_list")

    def save_service(self, obj, form):
        return services.officer_save(officer=obj, actor=self.request.user)


class OfficerEditView(ScopedUpdateView):
    model = InformationOfficer
    form_class = InformationOfficerForm
    allowed_roles = REPORT_ROLES
    breadcrumbs = [(gettext_lazy("Information officers"), reverse_lazy("reports:officer_list"))]
    success_url = reverse_lazy("reports:officer_list")

    def get_title(self):
        return _("Edit information officer %(name)s") % {"name": self.object}

    def save_service(self, obj, form):
        return services.officer_save(officer=obj, actor=self.request.user)


class OfficerDeleteView(ScopedDeleteView):
    model = InformationOfficer
    allowed_roles = REPORT_ROLES
    breadcrumbs = [(gettext_lazy("Information officers"), reverse_lazy("reports:officer_list"))]
    success_url = reverse_lazy("reports:officer_list")

    def delete_service(self, obj):
        services.officer_delete(officer=obj, actor=self.request.user)


class DeadlineListView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """Due dates that differ from the default (the 5th of the next month); the city edits them."""

    allowed_roles = REPORT_ROLES
    template_name = "reports/deadlines.html"
    title = gettext_lazy("Reporting deadlines")
    breadcrumbs = [LIST_CRUMB]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["deadlines"] = ReportDeadline.objects.all()[:120]
        ctx["upcoming"] = [(p, due_on(p)) for p in previous_months(6)]
        ctx["can_edit"] = permissions.deadlines(self.request.user)
        return ctx


class DeadlineCreateView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = permissions.deadlines.roles
    template_name = "core/form.html"
    title = gettext_lazy("Set a reporting deadline")
    breadcrumbs = [(gettext_lazy("Reporting deadlines"), reverse_lazy("reports:deadline_list"))]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ReportDeadlineForm()))

    def post(self, request, *args, **kwargs):
        form = ReportDeadlineForm(request.POST)
        if form.is_valid():
            try:
                services.deadline_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("reports:deadline_list"))
        return self.render_to_response(self.get_context_data(form=form))
