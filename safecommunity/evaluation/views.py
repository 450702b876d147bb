from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from safecommunity.archive.models import Attachment
from safecommunity.archive.services import attachment_create
from safecommunity.core.excel import XLSX_MIME
from safecommunity.core.forms import apply_service_errors
from safecommunity.core.jobs import BackgroundDownloadMixin
from safecommunity.core.models import CodeItem
from safecommunity.core.registry import evidence_for
from safecommunity.core.roles import Role
from safecommunity.core.views import BreadcrumbMixin, Column, RoleRequiredMixin, ScopedListView, role_allows

from . import services
from .filters import (
    ApplicationFilterSet,
    DesignationFilterSet,
    ExpertFilterSet,
    FundFilterSet,
    RewardFilterSet,
    SchemeFilterSet,
)
from .forms import (
    ConfirmForm,
    DesignationRecordForm,
    ExpertProfileForm,
    FundForm,
    OpenScoringForm,
    PaidForm,
    PanelForm,
    PolicyForm,
    RectificationDoneForm,
    ReportForm,
    ReviewForm,
    RewardRateForm,
    SchemeForm,
    SchemeImportForm,
    SchemeItemForm,
    SpendingForm,
    StartForm,
)
from .models import (
    Application,
    Designation,
    EvaluationPolicy,
    ExpertProfile,
    ExpertScore,
    FinalScore,
    Grade,
    PanelMember,
    Rectification,
    Reward,
    RewardRate,
    Scheme,
    SchemeItem,
    SpecialFund,
)

CITY = {Role.CITY}
APP_ROLES = {Role.CITY, Role.DISTRICT, Role.UNIT, Role.EXPERT}
OFFICE_UNIT = {Role.CITY, Role.DISTRICT, Role.UNIT}


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


class NoUserFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user", None)
        return kwargs


# ---------------------------------------------------------------- schemes and policy

class SchemeListView(ScopedListView):
    model = Scheme
    allowed_roles = APP_ROLES
    filterset_class = SchemeFilterSet
    title = gettext_lazy("Scoring schemes")
    create_url_name = "evaluation:scheme_create"
    create_roles = CITY
    import_url_name = "evaluation:scheme_import"
    import_roles = CITY
    columns = [
        Column(gettext_lazy("Code"), "code", link=True),
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Version"), "version"),
        Column(gettext_lazy("Purpose"), "get_purpose_display"),
        Column(gettext_lazy("Number of items"), lambda s: s.items.count()),
        Column(gettext_lazy("Declared total"), "declared_total"),
        Column(gettext_lazy("Total points"), "total_points"),
        Column(gettext_lazy("Pass at total ≥"), "pass_total"),
        Column(gettext_lazy("Pass after rectification at total ≥"), "rectify_total"),
        Column(gettext_lazy("Default"), lambda s: _("Yes") if s.is_default else ""),
        Column(gettext_lazy("Can be chosen for applications"),
               lambda s: _("Yes") if s.usable else _("No: %(why)s") % {"why": " ".join(s.problems())}),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("items")


class SchemeDetailView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = APP_ROLES
    template_name = "evaluation/scheme_detail.html"

    def get_context_data(self, **kwargs):
        scheme = get_object_or_404(Scheme.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        self.title = scheme.name
        self.breadcrumbs = [(_("Scoring schemes"), reverse("evaluation:scheme_list"))]
        ctx = super().get_context_data(**kwargs)
        in_use = scheme.in_use()
        ctx.update(scheme=scheme, items=scheme.items.select_related("element"),
                   can_edit=self.request.user.is_city and not in_use, is_city=self.request.user.is_city,
                   in_use=in_use, problems=scheme.problems(),
                   placeholders=scheme.items.filter(is_placeholder=True).count(),
                   versions=Scheme.objects.filter(family=scheme.family).exclude(pk=scheme.pk).order_by("-version")
                   if scheme.family else [])
        return ctx


class SchemeImportView(FormPage):
    """The city office uploads its official table (the Excel template); checked as one unit."""

    allowed_roles = CITY
    form_class = SchemeImportForm
    template_name = "evaluation/scheme_import.html"
    title = gettext_lazy("Load a scheme from Excel")
    success_message = gettext_lazy("The scheme was loaded.")

    def get_breadcrumbs(self):
        return [(_("Scoring schemes"), reverse("evaluation:scheme_list"))]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def perform(self, form):
        scheme = services.scheme_import(actor=self.request.user, data=form.cleaned_data["file"].read())
        return scheme.get_absolute_url()


class SchemeTemplateView(RoleRequiredMixin, View):
    """The empty template, or `pk`: a scheme exported to the same template."""

    allowed_roles = APP_ROLES

    def get(self, request, pk=None):
        from .scheme_excel import workbook

        scheme = get_object_or_404(Scheme.objects.visible_to(request.user), pk=pk) if pk else None
        name = f"{scheme.code}-{scheme.name}.xlsx" if scheme else _("scoring scheme template") + ".xlsx"
        response = HttpResponse(workbook(scheme), content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class SchemeDiffView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """What changed from one version to another (default: from the previous version)."""

    allowed_roles = APP_ROLES
    template_name = "evaluation/scheme_diff.html"

    def get_context_data(self, **kwargs):
        schemes = Scheme.objects.visible_to(self.request.user)
        new = get_object_or_404(schemes, pk=self.kwargs["pk"])
        other = self.request.GET.get("with", "")
        old = get_object_or_404(schemes, pk=other) if other.isdigit() else new.previous
        if old is None:
            raise Http404
        self.title = _("Changes from %(old)s (version %(v1)s) to version %(v2)s") % {
            "old": old.code, "v1": old.version, "v2": new.version}
        self.breadcrumbs = [(_("Scoring schemes"), reverse("evaluation:scheme_list")), (new.name,
                                                                                       new.get_absolute_url())]
        ctx = super().get_context_data(**kwargs)
        ctx.update(old=old, new=new, diff=services.scheme_diff(old, new))
        return ctx


class SchemeFormView(FormPage):
    allowed_roles = CITY
    form_class = SchemeForm

    def get_instance(self):
        return get_object_or_404(Scheme, pk=self.kwargs["pk"]) if "pk" in self.kwargs else Scheme()

    def get_title(self):
        return _("Edit scheme") if "pk" in self.kwargs else _("New scoring scheme")

    def get_breadcrumbs(self):
        return [(_("Scoring schemes"), reverse("evaluation:scheme_list"))]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def perform(self, form):
        scheme = services.scheme_save(actor=self.request.user, scheme=form.save(commit=False))
        return scheme.get_absolute_url()


class SchemeItemFormView(FormPage):
    allowed_roles = CITY
    form_class = SchemeItemForm

    def dispatch(self, request, *args, **kwargs):
        self.scheme = get_object_or_404(Scheme, pk=kwargs["scheme"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Edit item") if "pk" in self.kwargs else _("New item")

    def get_breadcrumbs(self):
        return [(_("Scoring schemes"), reverse("evaluation:scheme_list")), (self.scheme.name,
                                                                           self.scheme.get_absolute_url())]

    def get_form_kwargs(self):
        instance = (get_object_or_404(SchemeItem, pk=self.kwargs["pk"], scheme=self.scheme) if "pk" in self.kwargs
                    else SchemeItem(scheme=self.scheme))
        kwargs = {**super().get_form_kwargs(), "instance": instance}
        if "pk" not in self.kwargs:
            kwargs["initial"] = {"number": self.scheme.items.count() + 1, "presence_points": Decimal("0.8"),
                                 "evidence_points": Decimal("1.0"), "effect_points": Decimal("1.2")}
        return kwargs

    def perform(self, form):
        services.scheme_item_save(actor=self.request.user, item=form.save(commit=False))
        return self.scheme.get_absolute_url()


class PolicyView(FormPage):
    allowed_roles = CITY
    form_class = PolicyForm
    title = gettext_lazy("Evaluation rules")
    template_name = "evaluation/policy.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": EvaluationPolicy.current()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rates"] = RewardRate.objects.all()
        return ctx

    def perform(self, form):
        form.instance.full_clean()
        form.save()
        return reverse("evaluation:policy")


class RewardRateView(FormPage):
    allowed_roles = CITY
    form_class = RewardRateForm
    title = gettext_lazy("Reward rate")

    def get_breadcrumbs(self):
        return [(_("Evaluation rules"), reverse("evaluation:policy"))]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": get_object_or_404(RewardRate, pk=self.kwargs["pk"])}

    def perform(self, form):
        if form.cleaned_data["amount"] < 0:
            raise ValidationError({"amount": _("The amount cannot be negative.")})
        form.save()
        return reverse("evaluation:policy")


# ---------------------------------------------------------------- expert pool

class ExpertListView(ScopedListView):
    model = ExpertProfile
    allowed_roles = CITY
    filterset_class = ExpertFilterSet
    title = gettext_lazy("Expert pool")
    create_url_name = "evaluation:expert_create"
    create_roles = CITY
    select_related = ("user", "home_district")
    columns = [
        Column(gettext_lazy("Expert"), "user", link=lambda p: reverse("evaluation:expert_edit", args=[p.pk])),
        Column(pgettext_lazy("expert", "Field"), "field"),
        Column(gettext_lazy("Affiliation"), "affiliation"),
        Column(gettext_lazy("Home district"), "home_district"),
        Column(gettext_lazy("Active in the pool"), lambda p: _("Yes") if p.is_active else _("No")),
        Column(gettext_lazy("Open panels"), lambda p: p.user.panels.exclude(
            application__status__in=Application.CLOSED_STATUSES).count()),
    ]


class ExpertFormView(FormPage):
    allowed_roles = CITY
    form_class = ExpertProfileForm

    def get_title(self):
        return _("Expert profile")

    def get_breadcrumbs(self):
        return [(_("Expert pool"), reverse("evaluation:expert_list"))]

    def get_form_kwargs(self):
        instance = get_object_or_404(ExpertProfile, pk=self.kwargs["pk"]) if "pk" in self.kwargs else ExpertProfile()
        return {**super().get_form_kwargs(), "instance": instance}

    def perform(self, form):
        form.instance.full_clean()
        form.save()
        return reverse("evaluation:expert_list")


# ---------------------------------------------------------------- applications

class ApplicationListView(ScopedListView):
    model = Application
    allowed_roles = APP_ROLES
    filterset_class = ApplicationFilterSet
    title = gettext_lazy("Applications")
    create_url_name = "evaluation:application_start"
    create_roles = OFFICE_UNIT
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


class ApplicationStartView(FormPage):
    allowed_roles = OFFICE_UNIT
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


class ApplicationMixin(RoleRequiredMixin, BreadcrumbMixin):
    allowed_roles = APP_ROLES

    def dispatch(self, request, *args, **kwargs):
        if role_allows(self, request):
            self.application = get_object_or_404(
                Application.objects.visible_to(request.user).select_related("scheme", "org_unit", "creating_unit"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return crumbs_app() + [(str(self.application), self.application.get_absolute_url())]


def _role(user):
    return "city" if user.is_superuser else user.role


class ApplicationDetailView(ApplicationMixin, TemplateView):
    template_name = "evaluation/application_detail.html"

    def get_breadcrumbs(self):
        return crumbs_app()

    def get_title(self):
        return str(self.application)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        app, user = self.application, self.request.user
        role = _role(user)
        member = PanelMember.objects.filter(application=app, expert=user).first()
        actions = services.allowed_actions(app, user)
        ctx.update(
            app=app, role=role, member=member, S=Application.Status, actions=actions,
            steps=app.steps.select_related("actor"),
            panel=app.panel.select_related("expert__expert_profile"),
            rectifications=app.rectifications.select_related("item"),
            self_count=app.self_scores.count(), item_count=app.scheme.items.count(),
            can_edit_self="edit_self" in actions,
            can_review="review" in actions,
            can_assign="assign" in actions,
            can_open_scoring="open_scoring" in actions,
            can_score="score" in actions,
            scoring_waits=member is not None and app.status == "evaluating" and not app.scoring_open(),
            can_consolidate="consolidate" in actions,
            can_see_spread="consolidate" in actions,
            can_confirm="confirm" in actions,
            can_rectify="rectify" in actions,
            designation=Designation.objects.filter(application=app).first(),
            report_ready="report" in actions,
        )
        return ctx


def _grid_rows(application, existing, with_evidence=False):
    by_item = {s.item_id: s for s in existing}
    return [(item, by_item.get(item.pk), []) for item in application.scheme.items.select_related("element")]


class GridView(ApplicationMixin, TemplateView):
    """One page scoring every item (self-assessment, an expert's scores, the agreed scores)."""

    template_name = "evaluation/score_grid.html"
    with_evidence = False
    intro = ""

    def existing(self):
        raise NotImplementedError

    def save_one(self, item, presence, evidence, effect, comment, files):
        raise NotImplementedError

    def check(self):
        pass

    def get(self, request, *args, **kwargs):
        self.check()
        return super().get(request, *args, **kwargs)

    show_evidence = False  # the evidence the unit filed, per item (the expert's page)
    editable = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scheme = self.application.scheme
        ctx.update(app=self.application, rows=_grid_rows(self.application, self.existing()), grades=Grade.choices,
                   with_evidence=self.with_evidence, intro=self.intro, errors=kwargs.get("errors", []),
                   editable=self.editable, show_evidence=self.show_evidence,
                   legend=[(v, label, scheme.grade_pct(v)) for v, label in Grade.choices],
                   rule={"pcts": {g: scheme.grade_pct(g) for g in Grade.values},
                         "pass": float(scheme.pass_total),
                         "rectify": float(scheme.rectify_total) if scheme.rectify_total is not None else None,
                         "zeroFails": scheme.zero_item_fails, "total": float(scheme.total_points),
                         "labels": {k: str(v) for k, v in Application.Result.choices}})
        if self.show_evidence:
            by_element: dict[str, list] = {}
            cu = self.application.creating_unit
            for item, _score, _files in ctx["rows"]:
                code = item.element.code if item.element_id else ""
                if code and code not in by_element:
                    by_element[code] = evidence_for(creating_unit=cu, element=code)
            # the third slot holds the item's evidence on this page (no linking of files here)
            ctx["rows"] = [(item, score, by_element.get(item.element.code if item.element_id else "", []))
                           for item, score, _files in ctx["rows"]]
        if self.with_evidence:
            files = list(Attachment.objects.filter(org_unit=self.application.org_unit).select_related(
                "element", "content_type"))
            codes = {f.pk: f.effective_element_code for f in files}
            ctx["rows"] = [
                (item, score, sorted(files, key=lambda f, c=(item.element.code if item.element_id else ""): (
                    codes[f.pk] != c, str(f))))
                for item, score, _none in ctx["rows"]
            ]
        return ctx

    def post(self, request, *args, **kwargs):
        self.check()
        saved = 0
        try:
            with transaction.atomic():
                for item in self.application.scheme.items.all():
                    grades = [request.POST.get(f"{p}_{item.pk}", "") for p in ("p", "e", "f")]
                    applies = [bool(item.presence_points), bool(item.evidence_points), bool(item.effect_points)]
                    if not any(grades):
                        continue
                    if not all(g for g, a in zip(grades, applies, strict=True) if a):
                        raise ValidationError(_("Item %(n)s: grade presence, evidence and effect.") % {
                            "n": item.number})
                    files = []
                    if self.with_evidence:
                        ids = request.POST.getlist(f"ev_{item.pk}")
                        files = list(Attachment.objects.filter(pk__in=[i for i in ids if i.isdigit()]))
                    self.save_one(item, *grades, request.POST.get(f"c_{item.pk}", ""), files)
                    saved += 1
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        messages.success(request, _("%(n)s items saved.") % {"n": saved})
        if request.POST.get("then") == "submit":
            return self.after_submit()
        return HttpResponseRedirect(request.path)

    def after_submit(self):
        return HttpResponseRedirect(self.application.get_absolute_url())


class SelfAssessView(GridView):
    allowed_roles = OFFICE_UNIT
    with_evidence = True
    intro = gettext_lazy("Grade each item on presence, evidence and effect (a = 100 %, b = 70 %, c = 30 %, d = 0) "
                         "and link the evidence files from the archive.")

    def get_title(self):
        return _("Self-assessment")

    def check(self):
        if self.application.status not in ("draft", "returned"):
            raise PermissionDenied(_("The self-assessment can only be changed before submission or after a return."))

    def existing(self):
        return list(self.application.self_scores.prefetch_related("evidence_files"))

    def save_one(self, item, presence, evidence, effect, comment, files):
        services.self_score_set(application=self.application, actor=self.request.user, item=item, presence=presence,
                                evidence=evidence, effect=effect, comment=comment, evidence_files=files)


class ExpertScoreView(GridView):
    allowed_roles = {Role.EXPERT}
    show_evidence = True
    intro = gettext_lazy("Your scores stay hidden from the other experts, and theirs from you, until you submit.")

    def get_title(self):
        return _("My scores")

    def check(self):
        member = PanelMember.objects.filter(application=self.application, expert=self.request.user).first()
        if member is None:
            raise PermissionDenied(_("You are not on this application's panel."))
        self.editable = "score" in services.allowed_actions(self.application, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.application.scoring_open():
            ctx["closed_reason"] = _("Scoring opens on the site-visit date, %(d)s.") % {
                "d": self.application.site_visit_on}
        return ctx

    def existing(self):
        return list(ExpertScore.objects.filter(member__application=self.application,
                                               member__expert=self.request.user))

    def save_one(self, item, presence, evidence, effect, comment, files):
        services.expert_score_set(application=self.application, actor=self.request.user, item=item,
                                  presence=presence, evidence=evidence, effect=effect, comment=comment)

    def after_submit(self):
        try:
            services.expert_submit(application=self.application, actor=self.request.user)
            messages.success(self.request, _("Your scores are submitted."))
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(self.request.path)
        return HttpResponseRedirect(self.application.get_absolute_url())


def _consensus(row):
    """Pre-fill the agreed grades where every expert gave the same ones (not saved until Save)."""
    if not row or not row["scores"]:
        return None
    grades = {(s.presence, s.evidence, s.effect) for s in row["scores"]}
    if len(grades) != 1:
        return None
    p, e, f = grades.pop()
    comment = "；".join(dict.fromkeys(s.comment for s in row["scores"] if s.comment))
    return FinalScore(presence=p, evidence=e, effect=f, comment=comment)


class ConsolidateView(GridView):
    """The panel sees every score and the spread per item, and records the agreed final score."""

    allowed_roles = {Role.CITY, Role.EXPERT}
    template_name = "evaluation/consolidate.html"
    intro = gettext_lazy("Every expert's grades and points side by side. Explain every deduction in the comment: "
                         "it becomes a rectification item.")

    def get_title(self):
        return _("Panel consolidation")

    def check(self):
        services._require_panel_lead_or_city(self.application, self.request.user)
        if not services.may_see_all_scores(self.application, self.request.user):
            raise PermissionDenied(_("Submit your own scores first."))

    def existing(self):
        return list(self.application.final_scores.all())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        spread = {r["item"].pk: r for r in services.score_spread(self.application)}
        ctx["rows"] = [(item, final or _consensus(spread.get(item.pk)), spread.get(item.pk))
                       for item, final, _none in ctx["rows"]]
        ctx["panel"] = self.application.panel.select_related("expert")
        ctx["pending"] = [m for m in ctx["panel"] if m.submitted_at is None]
        return ctx

    def save_one(self, item, presence, evidence, effect, comment, files):
        services.final_score_set(application=self.application, actor=self.request.user, item=item,
                                 presence=presence, evidence=evidence, effect=effect, comment=comment,
                                 departure_reason=self.request.POST.get(f"r_{item.pk}", ""))

    def after_submit(self):
        try:
            services.application_decide(application=self.application, actor=self.request.user)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(self.request.path)
        self.application.refresh_from_db()
        messages.success(self.request, _("Result: %(r)s, total %(t)s.") % {
            "r": self.application.get_result_display(), "t": self.application.final_total})
        return HttpResponseRedirect(self.application.get_absolute_url())


class OpenScoringView(ApplicationMixin, FormPage):
    """The city opens expert scoring before the site-visit date, with a reason (kept in the steps)."""

    allowed_roles = CITY
    form_class = OpenScoringForm

    def get_title(self):
        return _("Open scoring before the site visit (%(d)s)") % {"d": self.application.site_visit_on}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def perform(self, form):
        services.scoring_open_early(application=self.application, actor=self.request.user,
                                    reason=form.cleaned_data["reason"])
        return self.application.get_absolute_url()


class DossierView(ApplicationMixin, BackgroundDownloadMixin, View):  # the zip is made on a worker
    """The application dossier (申报材料) as one zip: what the unit sends and the experts read."""

    def get(self, request, pk):
        from django.http import FileResponse

        from .dossier import build_dossier

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

    allowed_roles = OFFICE_UNIT
    template_name = "evaluation/crosswalk.html"
    title = gettext_lazy("International indicators and evidence")

    def get_context_data(self, **kwargs):
        from safecommunity.orgunits.models import CreatingUnit

        from .crosswalk import RECORDS, unit_crosswalk

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        units = CreatingUnit.objects.visible_to(user).select_related("org_unit")
        code = self.kwargs.get("code") or self.request.GET.get("unit") or (
            user.creating_unit.org_unit.code if getattr(user, "creating_unit", None) else "")
        unit = get_object_or_404(units, org_unit__code=code) if code else None
        ctx.update(unit=unit, units=units.order_by("org_unit__code")[:500],
                   rows=unit_crosswalk(unit.org_unit) if unit else None, records=RECORDS)
        return ctx


class ReportFormView(ApplicationMixin, FormPage):
    allowed_roles = OFFICE_UNIT
    form_class = ReportForm

    def get_title(self):
        return _("Work report")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        kwargs["initial"] = {"summary": self.application.summary}
        return kwargs

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


class ActionView(ApplicationMixin, View):
    """POST-only workflow steps; errors become a message, nothing changes."""

    def post(self, request, pk, action):
        app, user = self.application, request.user
        try:
            if action == "submit":
                services.application_submit(application=app, actor=user, note=request.POST.get("note", ""))
                messages.success(request, _("Submitted to the district office."))
            elif action == "expert-submit":
                services.expert_submit(application=app, actor=user)
                messages.success(request, _("Your scores are submitted."))
            elif action == "decide":
                services.application_decide(application=app, actor=user)
                messages.success(request, _("The result was computed."))
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(app.get_absolute_url())


class ReviewView(ApplicationMixin, FormPage):
    allowed_roles = {Role.DISTRICT, Role.CITY}
    form_class = ReviewForm

    def get_title(self):
        return _("Preliminary review")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def perform(self, form):
        services.application_review(application=self.application, actor=self.request.user,
                                    forward=form.cleaned_data["decision"] == "forward",
                                    reason=form.cleaned_data["reason"])
        return self.application.get_absolute_url()


class PanelView(ApplicationMixin, FormPage):
    allowed_roles = CITY
    form_class = PanelForm
    template_name = "evaluation/panel_form.html"

    def get_title(self):
        return _("Assign the expert panel")

    def get(self, request, *args, **kwargs):
        if self.application.status != Application.Status.FORWARDED:
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


class ConfirmView(ApplicationMixin, FormPage):
    allowed_roles = CITY
    form_class = ConfirmForm

    def get_title(self):
        return _("Confirm the result: %(r)s (%(t)s)") % {"r": self.application.get_result_display(),
                                                          "t": self.application.final_total}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

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


class RectificationDoneView(RoleRequiredMixin, BreadcrumbMixin, FormView):
    allowed_roles = OFFICE_UNIT
    form_class = RectificationDoneForm
    template_name = "core/form.html"

    def dispatch(self, request, *args, **kwargs):
        if role_allows(self, request):
            self.rect = get_object_or_404(Rectification.objects.visible_to(request.user).select_related(
                "application__org_unit", "item"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Rectification done: %(r)s") % {"r": self.rect}

    def get_breadcrumbs(self):
        return crumbs_app() + [(str(self.rect.application), self.rect.application.get_absolute_url())]

    def form_valid(self, form):
        try:
            services.rectification_done(rectification=self.rect, actor=self.request.user,
                                        note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.rect.application.get_absolute_url())


def _pdf_response(data: bytes, filename: str, inline=True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


class ReportPdfView(ApplicationMixin, View):
    def get(self, request, pk):
        from .pdf import evaluation_report_pdf

        return _pdf_response(evaluation_report_pdf(self.application, request.user),
                             f"{self.application.org_unit.name}-评定报告.pdf")


class ReportDocxView(ApplicationMixin, View):
    """The report as a Word document, for editing before it is printed and sealed."""

    def get(self, request, pk):
        from django.utils.http import content_disposition_header

        from .docx_report import evaluation_report_docx

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
        from .pdf import report_data

        ctx = super().get_context_data(**kwargs)
        ctx.update(report_data(self.application, self.request.user))
        return ctx


# ---------------------------------------------------------------- designations

class DesignationListView(ScopedListView):
    model = Designation
    allowed_roles = {Role.CITY, Role.DISTRICT, Role.UNIT}
    filterset_class = DesignationFilterSet
    title = gettext_lazy("Designations")
    create_url_name = "evaluation:designation_record"
    create_roles = CITY
    select_related = ("creating_unit__org_unit", "creating_unit__org_unit__parent")
    columns = [
        Column(gettext_lazy("Unit"), "creating_unit.org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "creating_unit.org_unit.parent.name"),
        Column(gettext_lazy("Title level"), "get_level_display"),
        Column(pgettext_lazy("designation", "Outcome"), "get_outcome_display"),
        Column(gettext_lazy("Certificate number"), "certificate_no"),
        Column(gettext_lazy("Designated on"), "designated_on"),
        Column(gettext_lazy("Valid until"), "valid_until"),
    ]


class DesignationDetailView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = {Role.CITY, Role.DISTRICT, Role.UNIT}
    template_name = "evaluation/designation_detail.html"

    def get_context_data(self, **kwargs):
        d = get_object_or_404(Designation.objects.visible_to(self.request.user).select_related(
            "creating_unit__org_unit", "document"), pk=self.kwargs["pk"])
        self.title = str(d)
        self.breadcrumbs = [(_("Designations"), reverse("evaluation:designation_list"))]
        ctx = super().get_context_data(**kwargs)
        ctx.update(d=d, reward=Reward.objects.filter(designation=d).first())
        return ctx


class CertificatePdfView(RoleRequiredMixin, View):
    allowed_roles = {Role.CITY, Role.DISTRICT, Role.UNIT}

    def get(self, request, pk):
        from .pdf import certificate_pdf

        d = get_object_or_404(Designation.objects.visible_to(request.user).select_related("creating_unit__org_unit"),
                              pk=pk, outcome=Designation.Outcome.PASSED)
        return _pdf_response(certificate_pdf(d), f"{d.certificate_no or d.pk}.pdf")


class DesignationRecordView(FormPage):
    allowed_roles = CITY
    form_class = DesignationRecordForm
    title = gettext_lazy("Record a national or international application")

    def get_breadcrumbs(self):
        return [(_("Designations"), reverse("evaluation:designation_list"))]

    def perform(self, form):
        data = form.cleaned_data
        cu = data["creating_unit"]
        document = None
        if data["document"]:
            try:
                document = attachment_create(uploaded=data["document"], org_unit=cu.org_unit, actor=self.request.user,
                                             role="outcome", title=_("Outcome document"),
                                             element=CodeItem.objects.of("aqt_element").filter(code="E10").first())
            except ValidationError as exc:
                raise ValidationError({"document": exc.messages}) from exc
        d = services.designation_record(creating_unit=cu, level=data["level"], actor=self.request.user,
                                        outcome=data["outcome"], applied_on=data["applied_on"],
                                        designated_on=data["designated_on"], certificate_no=data["certificate_no"],
                                        document=document, note=data["note"])
        return d.get_absolute_url()


# ---------------------------------------------------------------- funds and rewards

class FundListView(ScopedListView):
    model = SpecialFund
    allowed_roles = OFFICE_UNIT
    filterset_class = FundFilterSet
    title = gettext_lazy("Special funds")
    create_url_name = "evaluation:fund_create"
    create_roles = OFFICE_UNIT
    select_related = ("creating_unit__org_unit", "creating_unit__org_unit__parent")
    columns = [
        Column(gettext_lazy("Unit"), "creating_unit.org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "creating_unit.org_unit.parent.name"),
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Budget (yuan)"), "budget"),
        Column(gettext_lazy("Spent (yuan)"), lambda f: f.spent or Decimal(0)),
        Column(gettext_lazy("Spendings"), "n_spendings"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(spent=Sum("spendings__amount"), n_spendings=Count("spendings")).order_by(
            "-year", "creating_unit__org_unit__code")


class FundCreateView(FormPage):
    allowed_roles = OFFICE_UNIT
    form_class = FundForm
    title = gettext_lazy("Special fund budget")

    def get_breadcrumbs(self):
        return [(_("Special funds"), reverse("evaluation:fund_list"))]

    def perform(self, form):
        d = form.cleaned_data
        fund = services.fund_save(actor=self.request.user, creating_unit=d["creating_unit"], year=d["year"],
                                  budget=d["budget"], note=d["note"])
        return fund.get_absolute_url()


class FundDetailView(RoleRequiredMixin, BreadcrumbMixin, FormView):
    allowed_roles = OFFICE_UNIT
    form_class = SpendingForm
    template_name = "evaluation/fund_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if role_allows(self, request):
            self.fund = get_object_or_404(SpecialFund.objects.visible_to(request.user).select_related(
                "creating_unit__org_unit"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Special fund %(f)s") % {"f": self.fund}

    def get_breadcrumbs(self):
        return [(_("Special funds"), reverse("evaluation:fund_list"))]

    def get_context_data(self, **kwargs):
        from django.contrib.contenttypes.models import ContentType

        ctx = super().get_context_data(**kwargs)
        spendings = list(self.fund.spendings.all())
        ct = ContentType.objects.get(app_label="evaluation", model="fundspending")
        vouchers = {}
        for a in Attachment.objects.filter(content_type=ct, object_id__in=[s.pk for s in spendings]):
            vouchers.setdefault(a.object_id, []).append(a)
        ctx.update(fund=self.fund, spendings=[(s, vouchers.get(s.pk, [])) for s in spendings],
                   spent=sum((s.amount for s in spendings), Decimal(0)))
        ctx["by_item"] = self.fund.spendings.values("item").annotate(total=Sum("amount")).order_by("-total")
        return ctx

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            services.spending_create(actor=self.request.user, fund=self.fund, spent_on=d["spent_on"], item=d["item"],
                                     amount=d["amount"], vouchers=self.request.FILES.getlist("vouchers"))
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.fund.get_absolute_url())


class RewardListView(ScopedListView):
    model = Reward
    allowed_roles = {Role.CITY, Role.DISTRICT}
    filterset_class = RewardFilterSet
    title = gettext_lazy("Rewards")
    template_name = "evaluation/reward_list.html"
    select_related = ("designation__creating_unit__org_unit", "district")
    columns = [
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Unit"), "designation.creating_unit.org_unit.name",
               link=lambda r: r.designation.get_absolute_url()),
        Column(gettext_lazy("Title level"), "designation.get_level_display"),
        Column(gettext_lazy("Paid by district"), "district.name"),
        Column(gettext_lazy("Amount (yuan)"), "amount"),
        Column(gettext_lazy("Paid on"), "paid_on"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.get_queryset()
        ctx["per_year"] = qs.values("year").annotate(total=Sum("amount"), n=Count("pk"),
                                                    paid=Sum("amount", filter=Q(paid_on__isnull=False))) \
            .order_by("-year")
        return ctx


class RewardPaidView(RoleRequiredMixin, BreadcrumbMixin, FormView):
    allowed_roles = {Role.CITY, Role.DISTRICT}
    form_class = PaidForm
    template_name = "core/form.html"

    def dispatch(self, request, *args, **kwargs):
        if role_allows(self, request):
            self.reward = get_object_or_404(Reward.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Record payment: %(r)s") % {"r": self.reward}

    def get_breadcrumbs(self):
        return [(_("Rewards"), reverse("evaluation:reward_list"))]

    def form_valid(self, form):
        try:
            services.reward_mark_paid(actor=self.request.user, reward=self.reward, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(reverse("evaluation:reward_list"))
