"""Pages of the monthly reports. Every read goes through `visible_to(user)` (out of scope: 404),
every write through one service (wrong role: 403; bad input: the form names the field)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import TemplateView

from safecommunity.core.forms import apply_service_errors as apply_errors
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedListView,
)

from . import figures as fig
from . import output, permissions, selectors, services
from .filters import MonthlyReportFilterSet
from .forms import (
    ApproveForm,
    CommentForm,
    ReasonForm,
    ReportCreateForm,
    ReportEditForm,
    ReturnForm,
    UnlockDecisionForm,
)
from .models import MonthlyReport, UnlockRequest
from .periods import (
    current_period,
    due_on,
    is_on_time,
    parse_period,
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
        if permissions.writes_summary(self.request.user):
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
            org_unit = selectors.own_report_unit(user)
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
        actions = permissions.allowed_actions(report, user)
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
            "actions": actions,  # the buttons: permissions.allowed_actions, from services.TRANSITIONS
            "pending_unlock": report.unlock_requests.filter(status=UnlockRequest.Status.PENDING).first(),
            "unlock_requests": report.unlock_requests.select_related("requested_by", "decided_by"),
            "approve_form": kwargs.get("approve_form") or ApproveForm(),
            "return_form": kwargs.get("return_form") or ReturnForm(comment_fields=comment_fields(report)),
            "unlock_form": kwargs.get("unlock_form") or ReasonForm(),
            "decision_form": kwargs.get("decision_form") or UnlockDecisionForm(),
            "comment_form": CommentForm(comment_fields=comment_fields(report)),
            "due_on": report_due_on(report),
            "on_time": is_on_time(report.first_submitted_at, report_due_on(report)),
            "is_reviewer": permissions.review(user),
        })
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


def _pending_request(report):
    return report.unlock_requests.filter(status=UnlockRequest.Status.PENDING).first()


@dataclass(frozen=True)
class ReportAction:
    """One workflow step posted from the detail page: the form it reads (built from the POST and
    the report), the service it calls, what the user is told. `form_key`: the detail page's
    context name under which a form the service refused is shown again with its errors (none:
    the refusal is a message). `ready`: whether the form may go to the service at all (else
    `not_ready` is shown and nothing is called); by default the service judges the input."""

    run: Callable
    done: str
    form: Callable | None = None
    form_key: str = ""
    ready: Callable | None = None
    not_ready: str = ""


ACTIONS = {
    "submit": ReportAction(
        run=lambda user, report, form: services.monthly_report_submit(report=report, actor=user),
        done=gettext_lazy("The report was submitted.")),
    "approve": ReportAction(
        form=lambda post, report: ApproveForm(post), form_key="approve_form",
        run=lambda user, report, form: services.monthly_report_approve(
            report=report, actor=user, note=form.cleaned_data.get("note", "")),
        done=gettext_lazy("The report was approved.")),
    "return": ReportAction(
        form=lambda post, report: ReturnForm(post, comment_fields=comment_fields(report)), form_key="return_form",
        run=lambda user, report, form: services.monthly_report_return(
            report=report, actor=user, reason=form.cleaned_data.get("reason", ""), comments=form.comments()),
        done=gettext_lazy("The report was returned to the unit.")),
    "unlock": ReportAction(
        form=lambda post, report: ReasonForm(post), form_key="unlock_form",
        run=lambda user, report, form: services.unlock_request_create(
            report=report, actor=user, reason=form.cleaned_data.get("reason", "")),
        done=gettext_lazy("Your unlock request was sent to the approver.")),
    "decide": ReportAction(
        form=lambda post, report: UnlockDecisionForm(post), form_key="decision_form",
        ready=lambda report, form: _pending_request(report) is not None and form.is_valid(),
        not_ready=gettext_lazy("There is no unlock request to decide, or the decision is missing."),
        run=lambda user, report, form: services.unlock_request_decide(
            request=_pending_request(report), actor=user, grant=form.cleaned_data["grant"],
            note=form.cleaned_data["note"]),
        done=gettext_lazy("The decision was recorded.")),
    "comment": ReportAction(
        form=lambda post, report: CommentForm(post, comment_fields=comment_fields(report)),
        ready=lambda report, form: form.is_valid(), not_ready=gettext_lazy("Choose a field of the report."),
        run=lambda user, report, form: services.report_comment_add(
            report=report, actor=user, field=form.cleaned_data["field"], text=form.cleaned_data["text"]),
        done=gettext_lazy("Comment added.")),
}


class ReportActionView(ReportMixin, View):
    """POST-only workflow steps from the detail page (`ACTIONS`): submit, approve, return,
    unlock, decide, comment."""

    def post(self, request, pk, action):
        report = self.get_report()
        step = ACTIONS.get(action)
        if step is None:
            raise PermissionDenied(_("Unknown action."))
        form = step.form(request.POST, report) if step.form else None
        if step.ready is not None:
            if not step.ready(report, form):
                messages.error(request, step.not_ready)
                return HttpResponseRedirect(report.get_absolute_url())
        elif form is not None:
            form.is_valid()
        try:
            step.run(request.user, report, form)
        except ValidationError as exc:
            if not step.form_key:
                error_message(request, exc)
                return HttpResponseRedirect(report.get_absolute_url())
            apply_errors(form, exc)
            detail = ReportDetailView(request=request, kwargs={"pk": pk})
            detail.report = report
            return detail.render_to_response(detail.get_context_data(**{step.form_key: form}))
        messages.success(request, step.done)
        return HttpResponseRedirect(report.get_absolute_url())
