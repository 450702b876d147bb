"""Applications: list, start, the detail page with its buttons, the workflow steps (review, panel,
confirm), rectifications, the dossier, evidence, the international indicators and the report."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from safecommunity.archive.services import attachment_create
from safecommunity.core.jobs import BackgroundDownloadMixin
from safecommunity.core.models import CodeItem
from safecommunity.core.registry import evidence_for
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceFormView,
)

from .. import permissions, services
from ..filters import (
    ApplicationFilterSet,
)
from ..forms import (
    ConfirmForm,
    PanelForm,
    RectificationDoneForm,
    ReportForm,
    ReviewForm,
    StartForm,
)
from ..models import (
    Application,
    Designation,
    EvaluationPolicy,
    Rectification,
    Scheme,
)
from .common import ApplicationMixin, crumbs_app, pdf_response


class ApplicationListView(ScopedListView):
    model = Application
    allowed_roles = permissions.view.roles
    filterset_class = ApplicationFilterSet
    title = gettext_lazy("Applications")
    create_url_name = "evaluation:application_start"
    create_roles = permissions.apply.roles
    select_related = ("org_unit", "org_unit__parent", "scheme")
    columns = [
        Column(gettext_lazy("Unit"), "org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "org_unit.parent.name"),
        Column(gettext_lazy("Scoring scheme"), "scheme.name"),
        Column(gettext_lazy("Status"), "get_status_display"),
        Column(gettext_lazy("Submitted at"), "submitted_at"),
        Column(gettext_lazy("Site visit"), "site_visit_on"),
        Column(gettext_lazy("Self-assessment total"), "self_total"),
        Column(gettext_lazy("Final total"), "final_total"),
        Column(gettext_lazy("Result"), "get_result_display"),
    ]


class ApplicationStartView(ServiceFormView):
    allowed_roles = permissions.apply.roles
    form_class = StartForm
    title = gettext_lazy("Apply for Chongqing Safe Community")
    template_name = "evaluation/application_start.html"
    success_message = gettext_lazy("Application started: score every item of the self-assessment.")

    def get_breadcrumbs(self):
        return crumbs_app()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cu = self.request.user.creating_unit
        ctx["problems"] = services.preconditions(cu) if cu else []
        ctx["policy"] = EvaluationPolicy.current()
        ctx["unusable"] = [(s, s.problems()) for s in Scheme.objects.filter(is_active=True).exclude(
            purpose=Scheme.Purpose.SELF_CHECK).prefetch_related("items") if not s.usable]
        return ctx

    def perform(self, form):
        app = services.application_create(creating_unit=form.cleaned_data["creating_unit"], actor=self.request.user,
                                          scheme=form.cleaned_data["scheme"])
        return reverse("evaluation:self_assess", args=[app.pk])


class ApplicationDetailView(ApplicationMixin, TemplateView):
    template_name = "evaluation/application_detail.html"

    def get_breadcrumbs(self):
        return crumbs_app()

    def get_title(self):
        return str(self.application)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        app, user = self.application, self.request.user
        ctx.update(
            app=app, actions=permissions.allowed_actions(app, user),  # the buttons: services' one transition table
            steps=app.steps.select_related("actor"),
            panel=app.panel.select_related("expert__expert_profile"),
            rectifications=app.rectifications.select_related("item"),
            self_count=app.self_scores.count(), item_count=app.scheme.items.count(),
            designation=Designation.objects.filter(application=app).first(),
        )
        return ctx


class DossierView(ApplicationMixin, BackgroundDownloadMixin, View):  # the zip is made on a worker
    """The application dossier (申报材料) as one zip: what the unit sends and the experts read."""

    def get(self, request, pk):
        from django.http import FileResponse

        from ..dossier import build_dossier

        out, _toc = build_dossier(self.application, request.user)
        return FileResponse(out, as_attachment=True, content_type="application/zip",
                            filename=f"{self.application.org_unit.code}-{self.application.org_unit.name}-申报材料.zip")


class EvidenceView(ApplicationMixin, TemplateView):
    """Everything the unit holds under one element: opened in place from the scoring page."""

    template_name = "evaluation/evidence.html"

    def get_title(self):
        return _("Evidence: %(e)s") % {"e": self.element}

    def get(self, request, *args, **kwargs):
        self.element = get_object_or_404(CodeItem.objects.of("aqt_element"), code=kwargs["element"])
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        return ["evaluation/evidence_body.html"] if self.request.GET.get("bare") else [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from django.apps import apps

        rows = evidence_for(creating_unit=self.application.creating_unit, element=self.element.code)
        for r in rows:
            r["source"] = apps.get_app_config(r["app"]).verbose_name
        ctx.update(app=self.application, element=self.element, rows=rows,
                   items=self.application.scheme.items.filter(element=self.element))
        return ctx


class CrosswalkView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """ISCCC six indicators ↔ AQ/T 9001 elements ↔ the unit's records: which indicator has no evidence yet."""

    allowed_roles = permissions.apply.roles
    template_name = "evaluation/crosswalk.html"
    title = gettext_lazy("International indicators and evidence")

    def get_context_data(self, **kwargs):
        from safecommunity.orgunits.models import CreatingUnit

        from ..crosswalk import RECORDS, unit_crosswalk

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        units = CreatingUnit.objects.visible_to(user).select_related("org_unit")
        code = self.kwargs.get("code") or self.request.GET.get("unit") or (
            user.creating_unit.org_unit.code if getattr(user, "creating_unit", None) else "")
        unit = get_object_or_404(units, org_unit__code=code) if code else None
        ctx.update(unit=unit, units=units.order_by("org_unit__code")[:500],
                   rows=unit_crosswalk(unit.org_unit) if unit else None, records=RECORDS)
        return ctx


class ReportFormView(ApplicationMixin, ServiceFormView):
    allowed_roles = permissions.edit_self.roles
    form_class = ReportForm
    form_takes_user = False

    def get_title(self):
        return _("Work report")

    def get_initial(self):
        return {"summary": self.application.summary}

    def perform(self, form):
        report = None
        if form.cleaned_data["work_report"]:
            element = CodeItem.objects.of("aqt_element").filter(code="E10").first()
            try:
                report = attachment_create(uploaded=form.cleaned_data["work_report"],
                                           org_unit=self.application.org_unit, actor=self.request.user,
                                           obj=self.application, role="work_report", element=element,
                                           title=_("Work report"))
            except ValidationError as exc:
                raise ValidationError({"work_report": exc.messages}) from exc
        services.application_update(application=self.application, actor=self.request.user,
                                    summary=form.cleaned_data["summary"], work_report=report)
        return self.application.get_absolute_url()


# The POST-only workflow steps of the detail page: the service each calls and what the user is told.
STEPS = {
    "submit": (lambda app, user, post: services.application_submit(application=app, actor=user,
                                                                    note=post.get("note", "")),
               gettext_lazy("Submitted to the district office.")),
    "expert-submit": (lambda app, user, post: services.expert_submit(application=app, actor=user),
                      gettext_lazy("Your scores are submitted.")),
    "decide": (lambda app, user, post: services.application_decide(application=app, actor=user),
               gettext_lazy("The result was computed.")),
}


class ActionView(ApplicationMixin, View):
    """POST-only workflow steps (`STEPS`); errors become a message, nothing changes."""

    def post(self, request, pk, action):
        if action not in STEPS:
            raise PermissionDenied
        run, done = STEPS[action]
        try:
            run(self.application, request.user, request.POST)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(self.application.get_absolute_url())


class ReviewView(ApplicationMixin, ServiceFormView):
    allowed_roles = permissions.review.roles
    form_class = ReviewForm
    form_takes_user = False

    def get_title(self):
        return _("Preliminary review")

    def perform(self, form):
        services.application_review(application=self.application, actor=self.request.user,
                                    forward=form.cleaned_data["decision"] == "forward",
                                    reason=form.cleaned_data["reason"])
        return self.application.get_absolute_url()


class PanelView(ApplicationMixin, ServiceFormView):
    allowed_roles = permissions.assign.roles
    form_class = PanelForm
    template_name = "evaluation/panel_form.html"

    def get_title(self):
        return _("Assign the expert panel")

    def get(self, request, *args, **kwargs):
        if "assign" not in permissions.allowed_actions(self.application, self.request.user):
            messages.info(request, _("The panel is assigned once the district has forwarded the application."))
            return HttpResponseRedirect(self.application.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["conflicts"] = [(e, services.assignable(e, self.application))
                            for e in ctx["form"].fields["experts"].queryset]
        return ctx

    def perform(self, form):
        services.panel_assign(application=self.application, actor=self.request.user,
                              experts=list(form.cleaned_data["experts"]), lead=form.cleaned_data["lead"],
                              site_visit_on=form.cleaned_data["site_visit_on"])
        return self.application.get_absolute_url()


class ConfirmView(ApplicationMixin, ServiceFormView):
    allowed_roles = permissions.confirm.roles
    form_class = ConfirmForm
    form_takes_user = False

    def get_title(self):
        return _("Confirm the result: %(r)s (%(t)s)") % {"r": self.application.get_result_display(),
                                                          "t": self.application.final_total}

    def perform(self, form):
        document = None
        if form.cleaned_data["document"]:
            try:
                document = attachment_create(uploaded=form.cleaned_data["document"], org_unit=self.application.org_unit,
                                             actor=self.request.user, obj=self.application, role="decision",
                                             title=_("Decision document"))
            except ValidationError as exc:
                raise ValidationError({"document": exc.messages}) from exc
        services.application_confirm(application=self.application, actor=self.request.user, document=document,
                                     note=form.cleaned_data["note"])
        return self.application.get_absolute_url()


class RectificationDoneView(ServiceFormView):
    allowed_roles = permissions.rectify.roles
    form_class = RectificationDoneForm
    form_takes_user = False
    queryset = Rectification.objects.select_related("application__org_unit", "item")

    def get_title(self):
        return _("Rectification done: %(r)s") % {"r": self.object}

    def get_breadcrumbs(self):
        return crumbs_app() + [(str(self.object.application), self.object.application.get_absolute_url())]

    def perform(self, form):
        services.rectification_done(rectification=self.object, actor=self.request.user, note=form.cleaned_data["note"])
        return self.object.application.get_absolute_url()


class ReportPdfView(ApplicationMixin, View):
    def get(self, request, pk):
        from ..pdf import evaluation_report_pdf

        return pdf_response(evaluation_report_pdf(self.application, request.user),
                             f"{self.application.org_unit.name}-评定报告.pdf")


class ReportDocxView(ApplicationMixin, View):
    """The report as a Word document, for editing before it is printed and sealed."""

    def get(self, request, pk):
        from django.utils.http import content_disposition_header

        from ..docx_report import evaluation_report_docx

        response = HttpResponse(
            evaluation_report_docx(self.application, request.user),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.application.org_unit.name}-评定报告.docx")
        return response


class ReportPrintView(ApplicationMixin, TemplateView):
    """The report as a printable page."""

    template_name = "evaluation/report_print.html"

    def get_title(self):
        return _("Evaluation report")

    def get_context_data(self, **kwargs):
        from ..pdf import report_data

        ctx = super().get_context_data(**kwargs)
        ctx.update(report_data(self.application, self.request.user))
        return ctx
