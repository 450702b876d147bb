"""Pages of the monthly reports. Every read goes through `visible_to(user)` (out of scope: 404),
every write through one service (wrong role: 403; bad input: the form names the field)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from safecommunity.core.excel import xlsx_response
from safecommunity.core.forms import apply_service_errors as apply_errors
from safecommunity.core.roles import Role
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
)
from safecommunity.orgunits.models import OrgUnit

from . import figures as fig
from . import output, permissions, selectors, services
from .filters import InformationOfficerFilterSet, MonthlyReportFilterSet
from .forms import (
    ApproveForm,
    CommentForm,
    InformationOfficerForm,
    ReasonForm,
    ReportCreateForm,
    ReportDeadlineForm,
    ReportEditForm,
    ReturnForm,
    UnlockDecisionForm,
)
from .models import InformationOfficer, MonthlyReport, ReportDeadline, UnlockRequest
from .periods import (
    current_period,
    due_on,
    is_on_time,
    parse_period,
    period_param,
    previous_months,
    summary_due,
)

REPORT_ROLES = permissions.REPORT_ROLES
REVIEW_ROLES = permissions.REVIEW_ROLES
LIST_CRUMB = (gettext_lazy("Monthly reports"), reverse_lazy("reports:report_list"))


def error_message(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


class ReportListView(ScopedListView):
    model = MonthlyReport
    allowed_roles = REPORT_ROLES
    filterset_class = MonthlyReportFilterSet
    title = gettext_lazy("Monthly reports")
    select_related = ("org_unit", "district", "last_actor", "signed_by")
    create_url_name = "reports:report_create"
    create_roles = permissions.write.roles
    columns = [
        Column(gettext_lazy("Month"), lambda r: r.period.strftime("%Y-%m"), link=True),
        Column(gettext_lazy("Unit"), "org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "district.name"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Status"), "get_status_display"),
        Column(gettext_lazy("Nil report"), lambda r: _("Yes") if r.is_nil else ""),
        Column(gettext_lazy("Version"), "version"),
        Column(gettext_lazy("Signed by"), "signed_by.name"),
        Column(gettext_lazy("First submitted at"),
               lambda r: timezone.localtime(r.first_submitted_at).strftime("%Y-%m-%d %H:%M")
               if r.first_submitted_at else ""),
        Column(gettext_lazy("Last acted by"), "last_actor"),
    ]


class ReportCreateView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """A unit starts its report for a month (a district: its summary); figures are pre-filled."""

    allowed_roles = permissions.write.roles
    template_name = "core/form.html"
    title = gettext_lazy("Write a monthly report")
    breadcrumbs = [LIST_CRUMB]

    def get_title(self):
        if self.request.user.role == Role.DISTRICT:
            return _("Write the district's monthly summary")
        return str(self.title)

    def get_form(self):
        initial = {"period": (parse_period(self.request.GET.get("period")) or current_period()).strftime("%Y-%m")}
        return ReportCreateForm(self.request.POST or None, initial=initial, user=self.request.user)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            user = request.user
            org_unit = user.district if user.role == Role.DISTRICT else user.org_unit
            try:
                report = services.monthly_report_create(org_unit=org_unit, period=parse_period(
                    form.cleaned_data["period"]), actor=user)
            except ValidationError as exc:
                existing = MonthlyReport.objects.visible_to(user).filter(
                    org_unit=org_unit, period=parse_period(form.cleaned_data["period"])).first()
                if existing is not None:
                    messages.info(request, _("The report for this month already exists; here it is."))
                    return HttpResponseRedirect(existing.get_absolute_url())
                apply_errors(form, exc)
            else:
                messages.success(request, _("The draft is ready, with the month's figures filled in."))
                return HttpResponseRedirect(report.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


def comment_fields(report) -> list[tuple[str, str]]:
    labels = fig.figure_labels()
    fields = [("work_done", _("Work done this month")), ("problems", pgettext("monthly report", "Problems")),
              ("next_plans", _("Plans for next month")), ("is_nil", _("Nil report"))]
    return fields + [(f"figures.{k}", labels.get(k, (k, ""))[0]) for k in report.figures]


def report_due_on(report):
    due = due_on(report.period)
    return summary_due(due) if report.kind == MonthlyReport.Kind.DISTRICT else due


class ReportMixin(RoleRequiredMixin):
    allowed_roles = REPORT_ROLES

    def get_report(self):
        qs = MonthlyReport.objects.visible_to(self.request.user).select_related(
            "org_unit", "district", "signed_by", "last_actor", "submitted_by")
        return get_object_or_404(qs, pk=self.kwargs["pk"])


class ReportDetailView(ReportMixin, BreadcrumbMixin, TemplateView):
    template_name = "reports/report_detail.html"

    def get(self, request, *args, **kwargs):
        self.report = self.get_report()
        fmt = request.GET.get("format")
        steps = list(selectors.recent_steps(self.report))
        if fmt == "pdf":
            return output.report_pdf(self.report, steps)
        if fmt == "xlsx":
            return output.report_xlsx(self.report, steps)
        if fmt == "print":
            self.template_name = "reports/report_print.html"
        return self.render_to_response(self.get_context_data())

    def get_title(self):
        return output.report_title(self.report)

    def get_breadcrumbs(self):
        return [LIST_CRUMB]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report, user = self.report, self.request.user
        labels = fig.figure_labels()
        actions = services.allowed_actions(report, user)
        differences = selectors.report_reconcile(report) if report.status in (
            MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.DISTRICT_APPROVED) else []
        diff_by_key = {d["key"]: d for d in differences}
        comments = list(report.comments.select_related("author"))
        comments_by_field = {}
        for c in comments:
            comments_by_field.setdefault(c.field, []).append(c)
        ctx.update({
            "report": report,
            "figure_rows": [{"key": k, "label": labels.get(k, (k, ""))[0], "unit": labels.get(k, ("", ""))[1],
                             "value": v, "diff": diff_by_key.get(k),
                             "comments": comments_by_field.get(f"figures.{k}", [])}
                            for k, v in report.figures.items()],
            "differences": differences,
            "comments_by_field": comments_by_field,
            "general_comments": comments_by_field.get("", []),
            "steps": selectors.recent_steps(report),
            "versions": report.versions.select_related("submitted_by").order_by("-number"),
            "diff": selectors.report_diff(report),
            "actions": actions,
            "can_edit": report.is_editable and (user.is_superuser or user.role == services.AUTHOR_ROLE[report.kind]),
            "can_approve": bool(actions & {"district_approve", "city_approve"}),
            "can_return": "return" in actions,
            "can_unlock_request": "unlock_request" in actions,
            "pending_unlock": report.unlock_requests.filter(status=UnlockRequest.Status.PENDING).first(),
            "unlock_requests": report.unlock_requests.select_related("requested_by", "decided_by"),
            "approve_form": kwargs.get("approve_form") or ApproveForm(),
            "return_form": kwargs.get("return_form") or ReturnForm(comment_fields=comment_fields(report)),
            "unlock_form": kwargs.get("unlock_form") or ReasonForm(),
            "decision_form": kwargs.get("decision_form") or UnlockDecisionForm(),
            "comment_form": CommentForm(comment_fields=comment_fields(report)),
            "due_on": report_due_on(report),
            "on_time": is_on_time(report.first_submitted_at, report_due_on(report)),
            "is_reviewer": user.is_superuser or user.role in REVIEW_ROLES,
        })
        pending = ctx["pending_unlock"]
        ctx["can_decide_unlock"] = bool(pending) and (report.kind, "unlock_grant", report.status) in \
            services.TRANSITIONS and (user.is_superuser or user.role in services.TRANSITIONS[
                (report.kind, "unlock_grant", report.status)][1])
        return ctx


class ReportEditView(ReportMixin, BreadcrumbMixin, TemplateView):
    template_name = "reports/report_edit.html"
    allowed_roles = permissions.write.roles

    def get_title(self):
        return _("Edit %(report)s") % {"report": output.report_title(self.report)}

    def get_breadcrumbs(self):
        return [LIST_CRUMB, (output.report_title(self.report), self.report.get_absolute_url())]

    def get_form(self):
        r = self.report
        initial = {"is_nil": r.is_nil, "work_done": r.work_done, "problems": r.problems, "next_plans": r.next_plans,
                   "signed_by": r.signed_by_id}
        return ReportEditForm(self.request.POST or None, initial=initial, report=r)

    def get(self, request, *args, **kwargs):
        self.report = self.get_report()
        if not self.report.is_editable:
            messages.error(request, services._lock_reason(self.report))
            return HttpResponseRedirect(self.report.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        labels = fig.figure_labels()
        ctx["report"] = self.report
        ctx["figure_rows"] = [(labels.get(k, (k, ""))[0], v) for k, v in self.report.figures.items()]
        labels = dict(comment_fields(self.report))
        ctx["comments"] = [(labels.get(c.field, _("The whole report")), c) for c in self.report.comments.filter(
            version=self.report.version).select_related("author")]
        return ctx

    def post(self, request, *args, **kwargs):
        self.report = self.get_report()
        form = self.get_form()
        if form.is_valid():
            d = form.cleaned_data
            try:
                if "refresh" in request.POST:
                    services.monthly_report_refresh_figures(report=self.report, actor=request.user)
                    messages.success(request, _("The figures were rebuilt from the records."))
                    return HttpResponseRedirect(request.path)
                report = services.monthly_report_update(
                    report=self.report, actor=request.user, work_done=d["work_done"], problems=d["problems"],
                    next_plans=d["next_plans"], is_nil=d["is_nil"], signed_by=d["signed_by"])
                if "submit" in request.POST:
                    services.monthly_report_submit(report=report, actor=request.user)
                    messages.success(request, _("The report was submitted."))
                else:
                    messages.success(request, _("Saved."))
                return HttpResponseRedirect(report.get_absolute_url())
            except ValidationError as exc:
                apply_errors(form, exc)
        return self.render_to_response(self.get_context_data(form=form))


class ReportActionView(ReportMixin, View):
    """POST-only workflow steps from the detail page: submit, approve, return, unlock, comment."""

    def post(self, request, pk, action):
        report = self.get_report()
        user = request.user
        detail = ReportDetailView(request=request, kwargs={"pk": pk})
        detail.report = report
        try:
            if action == "submit":
                services.monthly_report_submit(report=report, actor=user)
                messages.success(request, _("The report was submitted."))
            elif action == "approve":
                form = ApproveForm(request.POST)
                form.is_valid()
                try:
                    services.monthly_report_approve(report=report, actor=user, note=form.cleaned_data.get("note", ""))
                except ValidationError as exc:
                    apply_errors(form, exc)
                    return detail.render_to_response(detail.get_context_data(approve_form=form))
                messages.success(request, _("The report was approved."))
            elif action == "return":
                form = ReturnForm(request.POST, comment_fields=comment_fields(report))
                form.is_valid()
                try:
                    services.monthly_report_return(report=report, actor=user, reason=form.cleaned_data.get("reason", ""),
                                                   comments=form.comments())
                except ValidationError as exc:
                    apply_errors(form, exc)
                    return detail.render_to_response(detail.get_context_data(return_form=form))
                messages.success(request, _("The report was returned to the unit."))
            elif action == "unlock":
                form = ReasonForm(request.POST)
                form.is_valid()
                try:
                    services.unlock_request_create(report=report, actor=user, reason=form.cleaned_data.get("reason", ""))
                except ValidationError as exc:
                    apply_errors(form, exc)
                    return detail.render_to_response(detail.get_context_data(unlock_form=form))
                messages.success(request, _("Your unlock request was sent to the approver."))
            elif action == "decide":
                form = UnlockDecisionForm(request.POST)
                pending = report.unlock_requests.filter(status=UnlockRequest.Status.PENDING).first()
                if pending is None or not form.is_valid():
                    messages.error(request, _("There is no unlock request to decide, or the decision is missing."))
                    return HttpResponseRedirect(report.get_absolute_url())
                try:
                    services.unlock_request_decide(request=pending, actor=user, grant=form.cleaned_data["grant"],
                                                   note=form.cleaned_data["note"])
                except ValidationError as exc:
                    apply_errors(form, exc)
                    return detail.render_to_response(detail.get_context_data(decision_form=form))
                messages.success(request, _("The decision was recorded."))
            elif action == "comment":
                form = CommentForm(request.POST, comment_fields=comment_fields(report))
                if not form.is_valid():
                    messages.error(request, _("Choose a field of the report."))
                else:
                    services.report_comment_add(report=report, actor=user, field=form.cleaned_data["field"],
                                                text=form.cleaned_data["text"])
                    messages.success(request, _("Comment added."))
            else:
                raise PermissionDenied(_("Unknown action."))
        except ValidationError as exc:
            error_message(request, exc)
        return HttpResponseRedirect(report.get_absolute_url())


# --- status board, completeness, city summary -------------------------------------------------

def _period_from(request) -> date:
    return period_param(request.GET)


def _district_from(request):
    code = request.GET.get("district")
    if not code:
        return None
    return get_object_or_404(OrgUnit.objects.visible_to(request.user).districts(), code=code)


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


class OfficerEditView(ScopedUpdateView):
    model = InformationOfficer
    form_class = InformationOfficerForm
    allowed_roles = REPORT_ROLES
    breadcrumbs = [(gettext_lazy("Information officers"), reverse_lazy("reports:officer_list"))]
    success_url = reverse_lazy("reports:officer_list")

    def get_title(self):
        return _("Edit information officer %(name)s") % {"name": self.object}


class OfficerDeleteView(ScopedDeleteView):
    model = InformationOfficer
    allowed_roles = REPORT_ROLES
    breadcrumbs = [(gettext_lazy("Information officers"), reverse_lazy("reports:officer_list"))]
    success_url = reverse_lazy("reports:officer_list")


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
        ctx["can_edit"] = self.request.user.is_superuser or self.request.user.role == Role.CITY
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
            d = form.cleaned_data
            ReportDeadline.objects.update_or_create(period=d["period"], defaults={"due_on": d["due_on"],
                                                                                  "note": d["note"]})
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("reports:deadline_list"))
        return self.render_to_response(self.get_context_data(form=form))

