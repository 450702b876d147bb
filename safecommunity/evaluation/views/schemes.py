"""Scoring schemes, the evaluation rules and reward rates, the expert pool (the city edits them)."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from safecommunity.core.excel import XLSX_MIME
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
)

from .. import permissions, services
from ..filters import (
    ExpertFilterSet,
    SchemeFilterSet,
)
from ..forms import (
    ExpertProfileForm,
    PolicyForm,
    RewardRateForm,
    SchemeForm,
    SchemeImportForm,
    SchemeItemForm,
)
from ..models import (
    Application,
    EvaluationPolicy,
    ExpertProfile,
    RewardRate,
    Scheme,
    SchemeItem,
)


class SchemeListView(ScopedListView):
    model = Scheme
    allowed_roles = permissions.view.roles
    filterset_class = SchemeFilterSet
    title = gettext_lazy("Scoring schemes")
    create_url_name = "evaluation:scheme_create"
    create_roles = permissions.settings.roles
    import_url_name = "evaluation:scheme_import"
    import_roles = permissions.settings.roles
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
    allowed_roles = permissions.view.roles
    template_name = "evaluation/scheme_detail.html"

    def get_context_data(self, **kwargs):
        scheme = get_visible_or_404(self.request.user, Scheme, pk=self.kwargs["pk"])
        self.title = scheme.name
        self.breadcrumbs = [(_("Scoring schemes"), reverse("evaluation:scheme_list"))]
        ctx = super().get_context_data(**kwargs)
        in_use = scheme.in_use()
        ctx.update(scheme=scheme, items=scheme.items.select_related("element"),
                   can_edit=permissions.settings(self.request.user) and not in_use,
                   in_use=in_use, problems=scheme.problems(),
                   placeholders=scheme.items.filter(is_placeholder=True).count(),
                   versions=Scheme.objects.filter(family=scheme.family).exclude(pk=scheme.pk).order_by("-version")
                   if scheme.family else [])
        return ctx


class SchemeImportView(ServiceFormView):
    """The city office uploads its official table (the Excel template); checked as one unit."""

    allowed_roles = permissions.settings.roles
    form_class = SchemeImportForm
    template_name = "evaluation/scheme_import.html"
    title = gettext_lazy("Load a scheme from Excel")
    success_message = gettext_lazy("The scheme was loaded.")
    form_takes_user = False

    def get_breadcrumbs(self):
        return [(_("Scoring schemes"), reverse("evaluation:scheme_list"))]

    def perform(self, form):
        scheme = services.scheme_import(actor=self.request.user, data=form.cleaned_data["file"].read())
        return scheme.get_absolute_url()


class SchemeTemplateView(RoleRequiredMixin, View):
    """The empty template, or `pk`: a scheme exported to the same template."""

    allowed_roles = permissions.view.roles

    def get(self, request, pk=None):
        from ..scheme_excel import workbook

        scheme = get_visible_or_404(request.user, Scheme, pk=pk) if pk else None
        name = f"{scheme.code}-{scheme.name}.xlsx" if scheme else _("scoring scheme template") + ".xlsx"
        response = HttpResponse(workbook(scheme), content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class SchemeDiffView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """What changed from one version to another (default: from the previous version)."""

    allowed_roles = permissions.view.roles
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


class SchemeFormView(ServiceFormView):
    allowed_roles = permissions.settings.roles
    form_class = SchemeForm
    form_edits_object = True
    model = Scheme

    def new_object(self):
        return Scheme()

    def get_title(self):
        return _("Edit scheme") if self.object.pk else _("New scoring scheme")

    def get_breadcrumbs(self):
        return [(_("Scoring schemes"), reverse("evaluation:scheme_list"))]

    def perform(self, form):
        scheme = services.scheme_save(actor=self.request.user, scheme=form.save(commit=False))
        return scheme.get_absolute_url()


class SchemeItemFormView(ServiceFormView):
    allowed_roles = permissions.settings.roles
    form_class = SchemeItemForm

    def load(self, request, *args, **kwargs):
        self.scheme = get_visible_or_404(request.user, Scheme, pk=kwargs["scheme"])
        self.object = (get_object_or_404(SchemeItem, pk=kwargs["pk"], scheme=self.scheme) if "pk" in kwargs
                       else SchemeItem(scheme=self.scheme))  # an item of the scheme in scope

    def get_title(self):
        return _("Edit item") if "pk" in self.kwargs else _("New item")

    def get_breadcrumbs(self):
        return [(_("Scoring schemes"), reverse("evaluation:scheme_list")), (self.scheme.name,
                                                                           self.scheme.get_absolute_url())]

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.object}
        if not self.object.pk:
            kwargs["initial"] = {"number": self.scheme.items.count() + 1, "presence_points": Decimal("0.8"),
                                 "evidence_points": Decimal("1.0"), "effect_points": Decimal("1.2")}
        return kwargs

    def perform(self, form):
        services.scheme_item_save(actor=self.request.user, item=form.save(commit=False))
        return self.scheme.get_absolute_url()


class PolicyView(ServiceFormView):
    allowed_roles = permissions.settings.roles
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
        services.policy_save(actor=self.request.user, policy=form.save(commit=False))
        return reverse("evaluation:policy")


class RewardRateView(ServiceFormView):
    allowed_roles = permissions.settings.roles
    form_class = RewardRateForm
    form_edits_object = True
    model = RewardRate
    title = gettext_lazy("Reward rate")

    def get_breadcrumbs(self):
        return [(_("Evaluation rules"), reverse("evaluation:policy"))]

    def perform(self, form):
        services.reward_rate_save(actor=self.request.user, rate=form.save(commit=False))
        return reverse("evaluation:policy")


class ExpertListView(ScopedListView):
    model = ExpertProfile
    allowed_roles = permissions.settings.roles
    filterset_class = ExpertFilterSet
    title = gettext_lazy("Expert pool")
    create_url_name = "evaluation:expert_create"
    create_roles = permissions.settings.roles
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


class ExpertFormView(ServiceFormView):
    allowed_roles = permissions.settings.roles
    form_class = ExpertProfileForm
    form_edits_object = True
    model = ExpertProfile

    def new_object(self):
        return ExpertProfile()

    def get_title(self):
        return _("Expert profile")

    def get_breadcrumbs(self):
        return [(_("Expert pool"), reverse("evaluation:expert_list"))]

    def perform(self, form):
        services.expert_profile_save(actor=self.request.user, profile=form.save(commit=False))
        return reverse("evaluation:expert_list")
