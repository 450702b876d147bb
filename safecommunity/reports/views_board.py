"""Pages over many reports: the status board of a month (with bulk approval), completeness and
the city summary."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import TemplateView

from safecommunity.core.excel import xlsx_response
from safecommunity.core.roles import Role
from safecommunity.core.views import (
    BreadcrumbMixin,
    RoleRequiredMixin,
    get_visible_or_404,
)
from safecommunity.orgunits.models import OrgUnit

from . import output, permissions, selectors, services
from .models import MonthlyReport
from .periods import (
    current_period,
    due_on,
    period_param,
    previous_months,
)
from .views import LIST_CRUMB, REVIEW_ROLES

# --- status board, completeness, city summary -------------------------------------------------

def _period_from(request) -> date:
    return period_param(request.GET)


def _district_from(request):
    code = request.GET.get("district")
    if not code:
        return None
    return get_visible_or_404(request.user, OrgUnit.objects.districts(), code=code)


class StatusBoardView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """DHIS2-style status board: for a month, one row per unit (a district, or the city's chosen
    district) or per district (the city): state, who acted and when, on time or late, nil."""

    allowed_roles = REVIEW_ROLES
    template_name = "reports/board.html"
    title = gettext_lazy("Report status board")
    breadcrumbs = [LIST_CRUMB]
    page_size = 100

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def rows(self):
        user, period = self.request.user, _period_from(self.request)
        district = _district_from(self.request)
        if user.role == Role.DISTRICT or district is not None:
            return "units", selectors.status_board_units(user=user, period=period, district=district)
        return "districts", selectors.status_board_districts(user=user, period=period)

    def export(self):
        level, rows = self.rows()
        period = _period_from(self.request)
        headers = [_("Code"), _("Name"), _("Status"), _("Nil report"), _("Last acted by"), _("Last action at"),
                   _("First submitted at"), _("On time")]
        if level == "districts":
            headers += [_("Units expected"), _("Unit reports received"), _("Received on time")]

        def line(row):
            r = row.report
            cells = [row.code, row.name, r.get_status_display() if r else _("Not submitted"),
                     _("Yes") if row.is_nil else "", str(r.last_actor or "") if r else "",
                     r.last_action_at if r else "", r.first_submitted_at if r else "",
                     "" if row.on_time is None else (_("On time") if row.on_time else _("Late"))]
            if level == "districts":
                cells += [row.expected_units, row.received, row.on_time_units]
            return cells

        title = _("Report status board %(month)s") % {"month": period.strftime("%Y-%m")}
        return xlsx_response(title, headers, (line(r) for r in rows), title=title)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, period = self.request.user, _period_from(self.request)
        level, rows = self.rows()
        page = Paginator(rows, self.page_size).get_page(self.request.GET.get("page"))
        page_rows = list(page.object_list)
        selectors.attach_differences(page_rows)
        approvable = {"district_approve", "city_approve"}
        for row in page_rows:
            row.can_approve = bool(row.report and services.allowed_actions(row.report, user) & approvable)
        counts = selectors.Counts()
        for row in rows:
            if level == "units":
                counts.expected += int(row.expected)
                counts.submitted += int(row.expected and bool(row.report and row.report.is_received))
                counts.on_time += int(bool(row.expected and row.on_time and row.report.is_received))
                counts.nil += int(row.expected and row.is_nil and row.report.is_received)
            else:
                counts.expected += row.expected_units
                counts.submitted += row.received
                counts.on_time += row.on_time_units
        ctx.update({"level": level, "page": page, "rows": page_rows, "period": period, "counts": counts,
                    "periods": previous_months(24), "district": _district_from(self.request),
                    "districts": selectors.scope_districts(user) if user.is_superuser or user.role == Role.CITY
                    else [], "due_on": due_on(period),
                    "any_approvable": any(r.can_approve for r in page_rows)})
        return ctx


class BulkApproveView(RoleRequiredMixin, View):
    allowed_roles = REVIEW_ROLES

    def post(self, request):
        ids = [int(i) for i in request.POST.getlist("report") if i.isdigit()]
        back = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
            back = reverse("reports:board")
        if not ids:
            messages.error(request, _("Select the reports to approve."))
            return HttpResponseRedirect(back)
        reports = list(MonthlyReport.objects.visible_to(request.user).filter(pk__in=ids).select_related("org_unit"))
        approved, skipped = services.monthly_report_bulk_approve(reports=reports, actor=request.user)
        if approved:
            messages.success(request, _("%(n)d reports approved.") % {"n": len(approved)})
        for report, reason in skipped:
            messages.warning(request, _("%(report)s was not approved: %(reason)s") % {"report": report,
                                                                                    "reason": reason})
        return HttpResponseRedirect(back)


class CompletenessView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """Completeness (received / expected) and timeliness (on time / expected): per month for a
    district, per district (and month) for the city; a table, an Excel export and a chart."""

    allowed_roles = REVIEW_ROLES
    template_name = "reports/completeness.html"
    title = gettext_lazy("Completeness and timeliness")
    breadcrumbs = [LIST_CRUMB]

    def year(self) -> int:
        try:
            year = int(self.request.GET.get("year", current_period().year))
        except ValueError:
            year = current_period().year
        return min(max(year, 2000), current_period().year)

    def district(self):
        user = self.request.user
        if user.role == Role.DISTRICT and not user.is_superuser:
            return user.district
        return _district_from(self.request)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        ctx = self.get_context_data()
        headers = [pgettext("monthly report", "Period") if ctx["district"] else _("District/county"),
                   pgettext("monthly report", "Expected"), _("Received"),
                   _("On time"), _("Nil reports"), _("Missing"), _("Completeness %"), _("Timeliness %")]
        rows = [[label, c.expected, c.submitted, c.on_time, c.nil, c.missing, c.completeness, c.timeliness]
                for label, c in ctx["table"]]
        title = _("Completeness and timeliness %(year)d") % {"year": ctx["year"]}
        return xlsx_response(title, headers, rows, title=title)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, district, user = self.year(), self.district(), self.request.user
        if district is not None:
            data = selectors.completeness_by_month(district=district, year=year)
            table = [(p.strftime("%Y-%m"), c) for p, c in data]
            matrix = None
        else:
            periods, rows, city = selectors.completeness_by_district(user=user, year=year)
            table = [(r["district"]["name"], r["total"]) for r in rows]
            matrix = {"periods": periods, "rows": rows, "city": city}
        total = selectors.Counts()
        for _label, c in table:
            total.add(c)
        chart = {"categories": [label for label, _c in table],
                 "series": [{"name": _("Completeness %"), "data": [c.completeness for _l, c in table]},
                            {"name": _("Timeliness %"), "data": [c.timeliness for _l, c in table], "type": "line"}],
                 "yName": "%", "rotate": 45 if district is None else 0}
        ctx.update({"year": year, "years": list(range(current_period().year, current_period().year - 10, -1)),
                    "district": district, "table": table, "total": total, "matrix": matrix,
                    "chart": chart,
                    "districts": selectors.scope_districts(user) if user.is_superuser or user.role == Role.CITY
                    else []})
        return ctx


class CitySummaryView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = permissions.city_summary.roles
    template_name = "reports/city_summary.html"
    title = gettext_lazy("City monthly summary")
    breadcrumbs = [LIST_CRUMB]

    def get(self, request, *args, **kwargs):
        summary = selectors.city_summary(user=request.user, period=_period_from(request))
        fmt = request.GET.get("format")
        if fmt == "pdf":
            return output.city_summary_pdf(summary)
        if fmt == "xlsx":
            return output.city_summary_xlsx(summary)
        if fmt == "print":
            self.template_name = "reports/city_summary_print.html"
        return self.render_to_response(self.get_context_data(summary=summary, periods=previous_months(24),
                                                             period=summary["period"]))
