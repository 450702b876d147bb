"""Pages of the district responsibility letters and the yearly assessments against them."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.core.views import (
    Column,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)

from . import permissions, services
from .filters import (
    AssessmentFilterSet,
    LetterFilterSet,
)
from .forms import (
    AssessmentForm,
    LetterForm,
)
from .models import (
    DistrictAssessment,
    ResponsibilityLetter,
)
from .views import CITY, OFFICES, WITH_UNITS

# --- Responsibility letters and assessments -----------------------------------------------------------


class LetterListView(ScopedListView):
    model = ResponsibilityLetter
    allowed_roles = WITH_UNITS
    filterset_class = LetterFilterSet
    title = gettext_lazy("Responsibility letters")
    select_related = ("org_unit", "org_unit__parent", "document")
    create_url_name = "creation:letter_create"
    create_roles = OFFICES
    columns = [
        Column(gettext_lazy("Year"), "year", link=True),
        Column(gettext_lazy("Level"), "get_level_display"),
        Column(gettext_lazy("Signing unit"), "org_unit.name", link=True),
        Column(gettext_lazy("Target: units launched"), "target_launched"),
        Column(gettext_lazy("Target: units designated"), "target_designated"),
        Column(gettext_lazy("Signatory (issuing side)"), "upper_signatory"),
        Column(gettext_lazy("Signatory (receiving side)"), "lower_signatory"),
        Column(gettext_lazy("Signed on"), "signed_on"),
        Column(gettext_lazy("Scanned letter"), lambda x: _("Yes") if x.document_id else _("No")),
    ]


class LetterDetailView(ScopedDetailView):
    model = ResponsibilityLetter
    allowed_roles = WITH_UNITS
    template_name = "creation/letter_detail.html"
    select_related = ("org_unit", "document")

    def get_breadcrumbs(self):
        return [(_("Responsibility letters"), reverse("creation:letter_list"))]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = permissions.letter_edit(self.request.user, self.object)
        return ctx


class LetterFormView(ServiceFormView):
    allowed_roles = permissions.letter_edit.roles
    form_class = LetterForm
    title = gettext_lazy("New responsibility letter")
    form_edits_object = True
    model = ResponsibilityLetter

    def get_breadcrumbs(self):
        return [(_("Responsibility letters"), reverse("creation:letter_list"))]

    def perform(self, form):
        data = dict(form.cleaned_data)
        uploaded = data.pop("document")
        head = {k: data.pop(k) for k in ("year", "level", "org_unit")}
        if self.object is not None:
            return services.letter_save(actor=self.request.user, letter=self.object, uploaded=uploaded, **data)
        return services.letter_save(actor=self.request.user, uploaded=uploaded, **head, **data)


class LetterEditView(LetterFormView):
    def load(self, request, *args, **kwargs):
        super().load(request, *args, **kwargs)
        if not permissions.letter_edit(request.user, self.object):
            raise PermissionDenied(_("Your role may not do this."))

    def get_title(self):
        return _("Edit %(letter)s") % {"letter": self.object}


class AssessmentListView(ScopedListView):
    model = DistrictAssessment
    allowed_roles = OFFICES
    filterset_class = AssessmentFilterSet
    title = gettext_lazy("Year-end district assessments")
    select_related = ("org_unit",)
    create_url_name = "creation:assessment_create"
    create_roles = CITY
    columns = [
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("District/county"), "org_unit.name",
               link=lambda a: reverse("creation:assessment_edit", args=[a.pk])),
        Column(gettext_lazy("Target: units launched"), "target_launched"),
        Column(gettext_lazy("Actual: units launched"), "actual_launched"),
        Column(gettext_lazy("Target: units designated"), "target_designated"),
        Column(gettext_lazy("Actual: units designated"), "actual_designated"),
        Column(gettext_lazy("Score"), "score"),
        Column(gettext_lazy("Remarks"), "remarks", css="small"),
    ]


class AssessmentFormView(ServiceFormView):
    allowed_roles = CITY
    form_class = AssessmentForm
    title = gettext_lazy("New district assessment")
    form_edits_object = True
    model = DistrictAssessment

    def get_breadcrumbs(self):
        return [(_("Year-end district assessments"), reverse("creation:assessment_list"))]

    def perform(self, form):
        data = form.cleaned_data
        if self.object is not None:
            data["year"], data["district"] = self.object.year, self.object.org_unit
        return services.assessment_save(actor=self.request.user, **data)

    def get_success_url_for(self, result):
        return reverse("creation:assessment_list")


class AssessmentEditView(AssessmentFormView):
    def get_title(self):
        return str(self.object)
