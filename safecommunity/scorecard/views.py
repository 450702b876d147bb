from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView

from safecommunity.core.excel import xlsx_response
from safecommunity.core.roles import Role
from safecommunity.core.views import BreadcrumbMixin, RoleRequiredMixin, ServiceFormView, get_visible_or_404
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import permissions, selectors
from .forms import RuleSettingForm, YearForm
from .services import rule_setting_set

STATUS_LABELS = {selectors.MET: gettext_lazy("Met"), selectors.DUE: gettext_lazy("Due later this year"),
                 selectors.NOT_MET: gettext_lazy("Not met")}
VIEW_ROLES = permissions.view.roles


def status_label(status) -> str:
    return str(STATUS_LABELS[status])


class YearMixin:
    def get_year(self) -> int:
        if not hasattr(self, "_year"):
            form = YearForm(self.request.GET or None)
            if form.is_bound and not form.is_valid():
                messages.error(self.request, _("Year: %(errors)s Showing this year instead.")
                               % {"errors": " ".join(form.errors.get("year", []))})
            self._year = form.year_or_current()
        return self._year

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["year"] = self.get_year()
        ctx["years"] = list(range(ctx["year"] - 3, ctx["year"] + 2))
        ctx["status_labels"] = STATUS_LABELS
        return ctx

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)


def home(request):
    """/scorecard/: the scorecard that fits the role."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    if user.is_superuser or user.role == Role.CITY:
        return redirect("scorecard:city")
    if user.role == Role.DISTRICT and user.district:
        return redirect("scorecard:district", code=user.district.code)
    if user.role == Role.UNIT and user.creating_unit:
        return redirect("scorecard:unit", code=user.org_unit.code)
    raise PermissionDenied(_("Your role may not open this page."))


class UnitScorecardView(YearMixin, RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = VIEW_ROLES
    template_name = "scorecard/unit.html"

    def get_unit(self) -> CreatingUnit:
        return get_visible_or_404(self.request.user, CreatingUnit.objects.select_related("org_unit"),
                                 org_unit__code=self.kwargs["code"])

    def get_title(self):
        return _("Compliance scorecard of %(unit)s, %(year)s") % {"unit": self.unit, "year": self.get_year()}

    def get_breadcrumbs(self):
        crumbs = []
        district = self.unit.org_unit.district
        if district and self.request.user.role != Role.UNIT:
            crumbs.append((_("Scorecard of %(d)s") % {"d": district}, reverse("scorecard:district", args=[district.code])))
        return crumbs

    def get(self, request, *args, **kwargs):
        self.unit = self.get_unit()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unit"] = self.unit
        ctx["card"] = selectors.unit_scorecard(self.unit, self.get_year())
        ctx["not_in_creation"] = self.unit.status == CreatingUnit.Status.NOT_STARTED
        return ctx

    def export_xlsx(self):
        card = selectors.unit_scorecard(self.unit, self.get_year())
        headers = [_("Rule"), _("Minimum"), pgettext("scorecard", "Figure"), _("Status")]
        rows = [[r.rule.label, r.rule.minimum, r.value, status_label(r.status)] for r in card.results]
        return xlsx_response(_("Scorecard %(unit)s %(year)s") % {"unit": self.unit, "year": card.year}, headers, rows)


class DistrictScorecardView(YearMixin, RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = permissions.districts.roles
    template_name = "scorecard/district.html"

    def get(self, request, *args, **kwargs):
        self.district = get_visible_or_404(request.user, OrgUnit.objects.districts(), code=kwargs["code"])
        return super().get(request, *args, **kwargs)

    def get_title(self):
        return _("Compliance scorecards of %(d)s, %(year)s") % {"d": self.district, "year": self.get_year()}

    def get_breadcrumbs(self):
        if permissions.city(self.request.user):
            return [(_("Scorecards of the districts"), reverse("scorecard:city"))]
        return []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.district_ranking(self.request.user, self.district, self.get_year()))
        return ctx

    def export_xlsx(self):
        data = selectors.district_ranking(self.request.user, self.district, self.get_year())
        headers = [_("Rank"), _("Code"), _("Unit"), _("Rules met"), _("Rules")] + [r.label for r in data["rules"]]
        rows = [[i, c.org_unit.code, c.org_unit.name, c.met, c.total] + [r.value for r in c.results]
                for i, c in enumerate(data["cards"], start=1)]
        return xlsx_response(self.get_title(), headers, rows)


class CityScorecardView(YearMixin, RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = permissions.city.roles
    template_name = "scorecard/city.html"

    def get_title(self):
        return _("Scorecards of the districts, %(year)s") % {"year": self.get_year()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.city_rollup(self.request.user, self.get_year())
        return ctx

    def export_xlsx(self):
        rows = selectors.city_rollup(self.request.user, self.get_year())
        headers = [_("Rank"), _("Code"), _("District/county"), _("Units in creation"), _("Rules met"), _("Rules"),
                   _("% of rules met"), _("Units meeting every rule")]
        district_rules = [r for r in selectors.rules_for(self.get_year()) if r.level == "district"]
        headers += [r.label for r in district_rules]
        data = [[i, r["district"].code, r["district"].name, r["units"], r["rules_met"], r["rules_total"], r["pct"],
                 r["compliant"]] + [res.value for res in r["district_card"].results]
                for i, r in enumerate(rows, start=1)]
        return xlsx_response(self.get_title(), headers, data)


class RuleSettingListView(YearMixin, RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = permissions.rules.roles
    template_name = "scorecard/rules.html"

    def get_title(self):
        return _("Scorecard rules and minimums, %(year)s") % {"year": self.get_year()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rules"] = selectors.rules_for(self.get_year(), include_inactive=True)
        return ctx

    def export_xlsx(self):
        rules = selectors.rules_for(self.get_year(), include_inactive=True)
        headers = [_("Key"), _("Rule"), _("Level"), _("Minimum"), _("Default minimum"), _("Counted")]
        rows = [[r.key, r.label, r.level, r.minimum, r.obligation.default_minimum, _("Yes") if r.is_active else _("No")]
                for r in rules]
        return xlsx_response(self.get_title(), headers, rows)


class RuleSettingEditView(ServiceFormView):
    allowed_roles = permissions.rules.roles
    form_class = RuleSettingForm

    def load(self, request, *args, **kwargs):
        self.year = kwargs["year"]
        if not 2000 <= self.year <= 2100:
            raise Http404
        self.rule = next((r for r in selectors.rules_for(self.year, include_inactive=True)
                          if r.key == kwargs["key"]), None)
        if self.rule is None:
            raise Http404

    def get_initial(self):
        return {"minimum": self.rule.minimum, "is_active": self.rule.is_active}

    def get_title(self):
        return _("%(rule)s, %(year)s") % {"rule": self.rule.label, "year": self.year}

    def get_breadcrumbs(self):
        return [(_("Scorecard rules and minimums"), f"{reverse('scorecard:rules')}?year={self.year}")]

    def perform(self, form):
        rule_setting_set(year=self.year, key=self.rule.key, minimum=form.cleaned_data["minimum"],
                         is_active=form.cleaned_data["is_active"], actor=self.request.user)
        return f"{reverse('scorecard:rules')}?year={self.year}"
