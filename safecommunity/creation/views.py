"""Pages of the creation app. Views parse input, call one service, render; every read goes
through `visible_to(user)` (out of scope: 404) and `allowed_roles` (wrong role: 403)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from safecommunity.core.excel import xlsx_response
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
)
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import permissions, services
from .filters import (
    PlanYearFilterSet,
    TitleFilterSet,
    TransitionFilterSet,
)
from .forms import (
    DistrictPlanForm,
    EnterpriseUnitForm,
    LaunchForm,
    PlanTargetsForm,
    PlanYearOpenForm,
    TransitionForm,
)
from .models import (
    CreationTransition,
    DistrictPlan,
    PlanYear,
)
from .selectors import city_progress, plan_rows, three_year_view, titles, townships_not_launched

CITY = permissions.plan_edit.roles
OFFICES = permissions.plans.roles
WITH_UNITS = permissions.WITH_UNITS
FOLLOW_UP_READERS = permissions.FOLLOW_UP_READERS
S = CreatingUnit.Status


# --- Yearly plan ------------------------------------------------------------------------------------


def plan_breadcrumbs():
    return [(_("Yearly plans"), reverse("creation:plan_list"))]


class PlanYearListView(ScopedListView):
    model = PlanYear
    allowed_roles = OFFICES
    filterset_class = PlanYearFilterSet
    title = gettext_lazy("Yearly plans")
    create_url_name = "creation:plan_create"
    create_roles = CITY
    columns = [
        Column(gettext_lazy("Year"), "year", link=True),
        Column(gettext_lazy("Targets are cumulative"), lambda p: _("Yes") if p.targets_cumulative else _("No")),
        Column(gettext_lazy("Target: units launched"), "target_launched"),
        Column(gettext_lazy("Target: Chongqing Safe Communities"), "target_city"),
        Column(gettext_lazy("Target: National Safe Communities"), "target_national"),
        Column(gettext_lazy("Target: International Safe Communities"), "international_label"),
    ]


class PlanYearOpenView(ServiceFormView):
    allowed_roles = CITY
    form_class = PlanYearOpenForm
    title = gettext_lazy("Open a plan year")

    def get_breadcrumbs(self):
        return plan_breadcrumbs()

    def perform(self, form):
        return services.plan_year_open(year=form.cleaned_data["year"], actor=self.request.user)


class PlanMixin:
    def get_plan(self):
        return get_visible_or_404(self.request.user, PlanYear, year=self.kwargs["year"])


PLAN_COLUMNS = [
    gettext_lazy("District/county"), gettext_lazy("Code"), gettext_lazy("Category"), gettext_lazy("Percentage"),
    gettext_lazy("Townships"), gettext_lazy("Quota"), gettext_lazy("Launched this year"),
    gettext_lazy("Launched in total"), gettext_lazy("Gap to quota"), gettext_lazy("% of quota met"),
    gettext_lazy("Enterprise/park units launched"), gettext_lazy("Designated"),
]


class PlanDetailView(PlanMixin, RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """The plan page: per district townships, quota, launches, gap, designations; city totals vs targets."""

    allowed_roles = OFFICES
    template_name = "creation/plan_detail.html"

    def get(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        self.totals = plan_rows(request.user, self.plan)
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_title(self):
        return _("Plan %(year)s") % {"year": self.plan.year}

    def get_breadcrumbs(self):
        return plan_breadcrumbs()

    def export(self):
        rows = [[r.district.name, r.district.code, r.plan.get_category_display(), r.plan.percentage, r.townships,
                 r.quota, r.launched_year, r.launched_total, r.gap, r.pct_met, r.other_launched, r.designated]
                for r in self.totals.rows]
        t = self.totals
        if len(t.rows) > 1:
            rows.append([_("Total"), "", "", "", t.townships, t.quota, t.launched_year, t.launched_total, t.gap,
                         round(100 * t.launched_year / t.quota, 1) if t.quota else "", t.other_launched,
                         t.designated])
        name = self.get_title()
        return xlsx_response(name, [str(c) for c in PLAN_COLUMNS], rows, title=name)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(plan=self.plan, totals=self.totals, rows=self.totals.rows, columns=PLAN_COLUMNS,
                   can_edit=permissions.plan_edit(user),
                   map_values={r.district.code: r.pct_met for r in self.totals.rows})
        if permissions.plan_targets(user):
            progress = city_progress(user, self.plan)
            ctx["progress"] = progress
            ctx["chart"] = {
                "categories": [str(p["label"]) for p in progress],
                "series": [{"name": _("Target"), "data": [p["target"] for p in progress]},
                           {"name": _("Actual"), "data": [p["actual"] for p in progress]}],
            }
        if permissions.launch(user) and user.district is not None:  # a district office, in its own
            district = user.district
            ctx["district"] = district
            ctx["not_launched"] = list(townships_not_launched(user, district))
            ctx["launch_form"] = LaunchForm(user=user, district=district)
        ctx["years"] = list(PlanYear.objects.visible_to(user).values_list("year", flat=True))
        return ctx


class PlanTargetsEditView(PlanMixin, ServiceFormView):
    allowed_roles = CITY
    form_class = PlanTargetsForm

    def load(self, request, *args, **kwargs):
        self.plan = self.get_plan()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_plan()  # a copy: the form must not touch self.plan
        return kwargs

    def get_title(self):
        return _("Targets of plan %(year)s") % {"year": self.plan.year}

    def get_breadcrumbs(self):
        return plan_breadcrumbs() + [(str(self.plan), self.plan.get_absolute_url())]

    def perform(self, form):
        return services.plan_year_update(plan=self.plan, actor=self.request.user,
                                         **{f: form.cleaned_data[f] for f in form.Meta.fields})


class DistrictPlanEditView(PlanMixin, ServiceFormView):
    allowed_roles = CITY
    form_class = DistrictPlanForm

    def load(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        self.row = get_visible_or_404(request.user, DistrictPlan.objects.select_related("org_unit"),
                                      plan_year=self.plan, org_unit__code=kwargs["code"])

    def get_initial(self):
        return {"category": self.row.category, "percentage": self.row.percentage}

    def get_title(self):
        return _("%(district)s in plan %(year)s") % {"district": self.row.org_unit, "year": self.plan.year}

    def get_breadcrumbs(self):
        return plan_breadcrumbs() + [(str(self.plan), self.plan.get_absolute_url())]

    def perform(self, form):
        services.district_plan_update(row=self.row, actor=self.request.user, **form.cleaned_data)
        return self.plan


class ThreeYearView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = OFFICES
    template_name = "creation/three_year.html"

    def get(self, request, *args, **kwargs):
        self.district = get_visible_or_404(request.user, OrgUnit.objects.districts(), code=kwargs["code"])
        self.view = three_year_view(request.user, self.district)
        if request.GET.get("export") == "xlsx":
            headers = [_("Year"), _("Phase"), _("Percentage"), _("Quota"), _("Townships launched"),
                       _("Launched in total"), _("Expected in total"), _("Share launched"),
                       _("Enterprise/park units launched"), S.CITY.label, S.NATIONAL.label, S.INTERNATIONAL.label]
            rows = [[r["year"], str(r["phase"]), r["percentage"], r["quota"], r["launched"], r["cumulative"],
                     r["expected"], r["cumulative_pct"], r["other_launched"], r["city"], r["national"],
                     r["international"]] for r in self.view["rows"]]
            return xlsx_response(self.get_title(), headers, rows)
        return super().get(request, *args, **kwargs)

    def get_title(self):
        return _("%(district)s: three-year view") % {"district": self.district}

    def get_breadcrumbs(self):
        return plan_breadcrumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = self.view["rows"]
        ctx.update(view=self.view, district=self.district, chart={
            "categories": [str(r["year"]) for r in rows],
            "series": [
                {"name": _("Townships launched"), "data": [r["launched"] for r in rows]},
                {"name": _("Launched in total"), "data": [r["cumulative"] for r in rows], "type": "line"},
                {"name": _("Expected in total"), "data": [r["expected"] for r in rows], "type": "line"},
                {"name": _("Designated (Chongqing)"), "data": [r["city"] for r in rows]},
            ],
        })
        return ctx


# --- Lifecycle ------------------------------------------------------------------------------------


class LaunchView(ServiceFormView):
    """A district admin launches townships (and enterprise/park units) of its district, one or several."""

    allowed_roles = OFFICES
    form_class = LaunchForm
    template_name = "creation/launch.html"
    title = gettext_lazy("Launch creation")

    def load(self, request, *args, **kwargs):
        self.district = None
        code = request.GET.get("district") or request.POST.get("district")
        if not permissions.launch_any_district(request.user):
            self.district = request.user.district  # a district office launches in its own
        elif code:
            self.district = get_visible_or_404(request.user, OrgUnit.objects.districts(), code=code)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["district"] = self.district
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["district"] = self.district
        if permissions.launch_any_district(self.request.user):
            ctx["districts"] = OrgUnit.objects.visible_to(self.request.user).districts()
        return ctx

    def perform(self, form):
        data = form.cleaned_data
        return services.creating_units_launch(units=data["units"], actor=self.request.user,
                                              launched_on=data["launched_on"], plan_file=data["plan_file"],
                                              reason=data["reason"])

    def get_success_message(self, result):
        return _("%(n)s unit(s) launched: %(names)s.") % {
            "n": len(result), "names": "、".join(str(t.creating_unit) for t in result)}

    def get_success_url_for(self, result):
        nxt = self.request.POST.get("next", "")
        if nxt.startswith("/creation/"):
            return nxt
        return reverse("creation:transition_list")


class UnitTransitionView(ServiceFormView):
    """The city office (or district/unit where the table allows) moves a unit with a decision document."""

    allowed_roles = WITH_UNITS
    form_class = TransitionForm

    def load(self, request, *args, **kwargs):
        self.unit = get_visible_or_404(request.user, CreatingUnit.objects.select_related("org_unit"),
                                       org_unit__code=kwargs["code"])
        self.targets = services.allowed_targets(self.unit, request.user)
        if not self.targets:
            raise PermissionDenied(_("%(unit)s is “%(status)s”; your role has no status to give it now.")
                                   % {"unit": self.unit, "status": self.unit.get_status_display()})

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["targets"] = self.targets
        return kwargs

    def get_title(self):
        return _("Change the status of %(unit)s") % {"unit": self.unit}

    def get_breadcrumbs(self):
        return [(self.unit.name, self.unit.get_absolute_url())]

    def perform(self, form):
        data = form.cleaned_data
        return services.creating_unit_transition_with_file(
            unit=self.unit, to=data["to"], actor=self.request.user, reason=data["reason"],
            effective_on=data["effective_on"], uploaded=data["document"], valid_until=data["valid_until"],
        )

    def get_success_message(self, result):
        return _("%(unit)s is now “%(status)s”.") % {"unit": self.unit, "status": result.get_to_status_display()}

    def get_success_url_for(self, result):
        return self.unit.get_absolute_url()


class TransitionListView(ScopedListView):
    model = CreationTransition
    allowed_roles = WITH_UNITS
    filterset_class = TransitionFilterSet
    title = gettext_lazy("Status history")
    create_url_name = "creation:launch"
    create_roles = OFFICES  # the launch page's roles
    select_related = ("creating_unit__org_unit__parent", "actor", "document")
    columns = [
        Column(gettext_lazy("Date"), "effective_on"),
        Column(gettext_lazy("Creating unit"), "creating_unit.org_unit.name", link=lambda t: t.creating_unit.get_absolute_url()),
        Column(gettext_lazy("District/county"), "creating_unit.org_unit.parent.name"),
        Column(gettext_lazy("Previous status"), "get_from_status_display"),
        Column(gettext_lazy("New status"), "get_to_status_display"),
        Column(pgettext_lazy("justification", "Reason"), "reason", css="small"),
        Column(gettext_lazy("By"), "actor"),
        Column(gettext_lazy("Recorded at"), "at"),
        Column(gettext_lazy("Title valid until"), "valid_until"),
        Column(gettext_lazy("Document"), lambda t: t.document.original_name if t.document_id else "",
               link=lambda t: t.document.get_absolute_url() if t.document_id else ""),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().order_by("-effective_on", "-at", "-pk")



def title_state(unit) -> str:
    until = unit.title_valid_until
    if until is None:
        return ""
    today = timezone.localdate()
    if until < today:
        return _("Expired: re-evaluation due")
    if (until - today).days <= 180:
        return _("Expires within 180 days")
    return _("Valid")


class TitleListView(ScopedListView):
    """Units holding a title, by expiry: the city office re-evaluates or records the expiry."""

    model = CreatingUnit
    allowed_roles = OFFICES
    filterset_class = TitleFilterSet
    title = gettext_lazy("Titles and validity")
    columns = [
        Column(gettext_lazy("Creating unit"), "org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "org_unit.parent.name"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Title held"), "get_status_display"),
        Column(gettext_lazy("Designated on"), "title_since"),
        Column(gettext_lazy("Title valid until"), "title_valid_until"),
        Column(gettext_lazy("Validity"), title_state),
    ]

    def get_base_queryset(self):
        return titles(self.request.user)


class EnterpriseUnitCreateView(ServiceFormView):
    allowed_roles = OFFICES
    form_class = EnterpriseUnitForm
    title = gettext_lazy("Register an enterprise-led community or park")

    def get_breadcrumbs(self):
        return [(_("Creating units"), reverse("orgunits:creatingunit_list"))]

    def perform(self, form):
        data = form.cleaned_data
        return services.enterprise_unit_register(actor=self.request.user, **data)

    def get_success_message(self, result):
        return _("%(name)s registered as %(code)s.") % {"name": result.name, "code": result.org_unit.code}
