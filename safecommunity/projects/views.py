from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from safecommunity.core.registry import panels_for
from safecommunity.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedListView,
    get_visible_or_404,
    role_allows,
)
from safecommunity.records.views import (
    EvidenceUploadView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordUpdateView,
)

from . import permissions, services
from .filters import EvaluationFilterSet, ProjectFilterSet
from .forms import EvaluationForm, IndicatorForm, ProjectForm, TransitionForm
from .models import Indicator, PhaseEvaluation, Project
from .selectors import evaluation_status, project_trend

READ_ROLES = permissions.view.roles
WRITE_ROLES = permissions.write.roles
ELEMENT = "E05"  # AQ/T 9001 element 5: safety promotion projects


def crumbs():
    return [(_("Safety promotion projects"), reverse("projects:project_list"))]


class ProjectListView(ScopedListView):
    model = Project
    filterset_class = ProjectFilterSet
    allowed_roles = READ_ROLES
    title = gettext_lazy("Safety promotion projects")
    select_related = ("org_unit", "safety_area", "responsible_department")
    create_url_name = "projects:project_create"
    create_roles = WRITE_ROLES
    columns = [
        Column(gettext_lazy("Project name"), "name", link=True),
        Column(gettext_lazy("Unit"), "org_unit.name"),
        Column(gettext_lazy("Safety area"), "safety_area"),
        Column(gettext_lazy("Target group"), "target_group"),
        Column(gettext_lazy("Responsible department"), "responsible_department"),
        Column(gettext_lazy("Budget (yuan)"), "budget"),
        Column(gettext_lazy("Start date"), "start_on"),
        Column(gettext_lazy("End date"), "end_on"),
        Column(gettext_lazy("Status"), "get_status_display"),
        Column(gettext_lazy("Evidence files"), "n_files", css="text-center"),
    ]

    def get_base_queryset(self):
        qs = super().get_base_queryset()
        return qs.annotate(n_files=Count("evidence")).order_by(*qs.model._meta.ordering)


class ProjectCreateView(RecordCreateView):
    model = Project
    form_class = ProjectForm
    title = gettext_lazy("New safety promotion project")

    def get_breadcrumbs(self):
        return crumbs()

    def save_service(self, obj, form):
        return services.project_save(project=obj, actor=self.request.user, form=form)


class ProjectUpdateView(RecordUpdateView):
    model = Project
    form_class = ProjectForm

    def get_breadcrumbs(self):
        return crumbs() + [(str(self.object), self.object.get_absolute_url())]

    def save_service(self, obj, form):
        return services.project_save(project=obj, actor=self.request.user, form=form)


class ProjectDeleteView(RecordDeleteView):
    model = Project
    list_url_name = "projects:project_list"

    def get_breadcrumbs(self):
        return crumbs()


class ProjectDetailView(RecordDetailView):
    model = Project
    allowed_roles = READ_ROLES
    template_name = "projects/project_detail.html"
    select_related = ("org_unit", "safety_area", "responsible_department")
    edit_url_name = "projects:project_edit"
    delete_url_name = "projects:project_delete"
    evidence_url_name = "projects:project_evidence"
    fields = [
        (gettext_lazy("Unit"), "org_unit.name"),
        (gettext_lazy("Safety area"), "safety_area"),
        (gettext_lazy("Target group"), "target_group"),
        (gettext_lazy("Problem addressed"), "problem"),
        (gettext_lazy("Objective"), "objective"),
        (pgettext_lazy("project", "Measures"), "measures"),
        (gettext_lazy("Responsible department"), "responsible_department"),
        (gettext_lazy("Responsible person"), "responsible_person"),
        (gettext_lazy("Supporting departments"), "supporting_departments"),
        (gettext_lazy("Budget (yuan)"), "budget"),
        (gettext_lazy("Start date"), "start_on"),
        (gettext_lazy("End date"), "end_on"),
        (gettext_lazy("Status"), "get_status_display"),
    ]

    def get_breadcrumbs(self):
        return crumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = self.object
        year = timezone.localdate().year
        ctx["indicators"] = list(p.indicators.all())
        evaluations = list(p.evaluations.prefetch_related("values"))
        for e in evaluations:
            by_ind = {v.indicator_id: v.value for v in e.values.all()}
            e.value_cells = [by_ind.get(i.pk) for i in ctx["indicators"]]
        ctx["evaluations"] = evaluations
        ctx["halves"] = evaluation_status(p, year)
        ctx["year"] = year
        ctx["next_statuses"] = [Project.Status(s) for s in services.TRANSITIONS[p.status]]
        ctx["steps"] = p.steps.select_related("actor")[:20]
        ctx["trend"] = project_trend(p)
        ctx["indicator_form"] = IndicatorForm()
        ctx["panels"] = panels_for("project_panels", self.request, p)
        return ctx


class ProjectEvidenceView(EvidenceUploadView):
    model = Project
    element_code = ELEMENT


class ProjectTransitionView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def post(self, request, pk):
        project = get_visible_or_404(request.user, Project, pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return HttpResponseRedirect(project.get_absolute_url())
        try:
            services.project_transition(project=project, to=form.cleaned_data["to"], actor=request.user,
                                        note=form.cleaned_data["note"])
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("Status changed."))
        return HttpResponseRedirect(project.get_absolute_url())


class ProjectChildMixin:
    """Pages under one project: the project is fetched through visible_to first (404 outside)."""

    def dispatch(self, request, *args, **kwargs):
        if role_allows(self, request):
            self.project = get_visible_or_404(request.user, Project, pk=kwargs["project_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return crumbs() + [(str(self.project), self.project.get_absolute_url())]

    def get_success_url(self):
        return self.project.get_absolute_url()


class IndicatorCreateView(ProjectChildMixin, RecordCreateView):
    model = Indicator
    form_class = IndicatorForm
    title = gettext_lazy("New indicator")

    def save_service(self, obj, form):
        obj.project = self.project
        return services.indicator_save(indicator=obj, actor=self.request.user)


class EvaluationCreateView(ProjectChildMixin, RecordCreateView):
    model = PhaseEvaluation
    form_class = EvaluationForm
    title = gettext_lazy("New phase evaluation")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs.setdefault("initial", {})
        today = timezone.localdate()
        kwargs["initial"].update(year=today.year, half=1 if today.month <= 6 else 2, evaluated_on=today)
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.project = self.project
        return form

    def save_service(self, obj, form):
        obj.project = self.project
        return services.evaluation_save(evaluation=obj, actor=self.request.user, values=form.indicator_values())

    def get_success_url(self):
        return self.object.get_absolute_url()


class EvaluationListView(ScopedListView):
    model = PhaseEvaluation
    filterset_class = EvaluationFilterSet
    allowed_roles = READ_ROLES
    title = gettext_lazy("Phase evaluations")
    select_related = ("project", "project__org_unit")
    columns = [
        Column(gettext_lazy("Project"), "project.name", link=True),
        Column(gettext_lazy("Unit"), "project.org_unit.name"),
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Half year"), "get_half_display"),
        Column(gettext_lazy("Evaluated on"), "evaluated_on"),
        Column(gettext_lazy("Problems found"), "problems", css="small"),
        Column(gettext_lazy("Evidence files"), "n_files", css="text-center"),
    ]

    def get_base_queryset(self):
        qs = super().get_base_queryset()
        return qs.annotate(n_files=Count("evidence")).order_by(*qs.model._meta.ordering)


class EvaluationDetailView(RecordDetailView):
    model = PhaseEvaluation
    allowed_roles = READ_ROLES
    select_related = ("project", "project__org_unit")
    template_name = "projects/evaluation_detail.html"
    edit_url_name = "projects:evaluation_edit"
    evidence_url_name = "projects:evaluation_evidence"
    fields = [
        (gettext_lazy("Project"), "project.name"),
        (pgettext_lazy("project", "Period"), "period_label"),
        (gettext_lazy("Evaluated on"), "evaluated_on"),
        (gettext_lazy("Progress per measure"), "progress"),
        (gettext_lazy("Problems found"), "problems"),
        (gettext_lazy("Corrective actions"), "corrective_actions"),
        (gettext_lazy("Conclusion"), "conclusion"),
    ]

    def get_breadcrumbs(self):
        return crumbs() + [(str(self.object.project), self.object.project.get_absolute_url())]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["values"] = self.object.values.select_related("indicator")
        return ctx


class EvaluationUpdateView(RecordUpdateView):
    model = PhaseEvaluation
    form_class = EvaluationForm
    select_related = ("project", "project__org_unit")

    def get_breadcrumbs(self):
        return crumbs() + [(str(self.object.project), self.object.project.get_absolute_url())]

    def save_service(self, obj, form):
        return services.evaluation_save(evaluation=obj, actor=self.request.user, values=form.indicator_values())


class EvaluationEvidenceView(EvidenceUploadView):
    model = PhaseEvaluation
    element_code = ELEMENT
