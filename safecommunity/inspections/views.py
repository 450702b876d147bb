"""Pages of inspections: plans, the on-site record (phone-friendly, one column), inspections,
follow-up items and their closure, the ranking of open findings, and the year-end meeting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from safecommunity.core.forms import apply_service_errors
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    get_visible_or_404,
)
from safecommunity.orgunits.models import OrgUnit
from safecommunity.records.views import (
    EvidenceUploadView,
    RecordCreateView,
    RecordDetailView,
    RecordUpdateView,
)

from . import filters, forms, permissions, selectors, services
from .models import Finding, FollowUpItem, FollowUpStatus, Inspection, InspectionPlan, YearEndReview

OFFICE_ROLES = permissions.plan.roles
ALL_ROLES = permissions.view.roles
UNIT_WRITE = permissions.review_write.roles


def _crumb(label, name):
    return [(label, reverse(name))]


# --- plans ----------------------------------------------------------------------------------

class PlanListView(ScopedListView):
    model = InspectionPlan
    filterset_class = filters.PlanFilterSet
    allowed_roles = OFFICE_ROLES
    title = gettext_lazy("Inspection plans")
    select_related = ("org_unit", "scheme")
    create_url_name = "inspections:plan_create"
    columns = [
        Column(gettext_lazy("Title"), "title", link=True), Column(gettext_lazy("Planned by"), "org_unit.name"),
        Column(gettext_lazy("Starts on"), "starts_on"), Column(gettext_lazy("Ends on"), "ends_on"),
        Column(gettext_lazy("Checklist"), lambda p: p.scheme.name if p.scheme_id else _("Custom list")),
        Column(gettext_lazy("Units"), "n_units"), Column(pgettext_lazy("inspection", "Recorded"), "n_recorded"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(
            n_units=Count("inspections", distinct=True),
            n_recorded=Count("inspections", filter=Q(inspections__status=Inspection.Status.RECORDED), distinct=True)
        ).order_by("-starts_on", "-pk")


class PlanCreateView(RecordCreateView):
    model = InspectionPlan
    form_class = forms.PlanForm
    allowed_roles = OFFICE_ROLES
    title = gettext_lazy("New inspection plan")

    def get_breadcrumbs(self):
        return _crumb(_("Inspection plans"), "inspections:plan_list")

    def save_service(self, obj, form):
        items = form.cleaned_data.get("custom_items", "").splitlines()
        return services.plan_save(plan=obj, actor=self.request.user, custom_items=items,
                                  units=list(form.cleaned_data.get("units") or []))


class PlanUpdateView(RecordUpdateView):
    model = InspectionPlan
    form_class = forms.PlanForm
    allowed_roles = OFFICE_ROLES

    def save_service(self, obj, form):
        return services.plan_save(plan=obj, actor=self.request.user, units=list(form.cleaned_data.get("units") or []))


class PlanDetailView(ScopedDetailView):
    model = InspectionPlan
    allowed_roles = OFFICE_ROLES
    template_name = "inspections/plan_detail.html"

    def get_breadcrumbs(self):
        return _crumb(_("Inspection plans"), "inspections:plan_list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["items"] = self.object.items.all()
        ctx["inspections"] = Inspection.objects.visible_to(self.request.user).filter(plan=self.object) \
            .select_related("org_unit").annotate(
                n_problems=Count("findings", filter=Q(findings__result=Finding.Result.PROBLEM)))
        ctx["add_form"] = forms.InspectionAddForm(user=self.request.user,
                                                  initial={"scheduled_on": self.object.starts_on})
        return ctx


class InspectionAddView(RoleRequiredMixin, View):
    allowed_roles = OFFICE_ROLES

    def post(self, request, pk):
        plan = get_visible_or_404(request.user, InspectionPlan, pk=pk)
        form = forms.InspectionAddForm(request.POST, user=request.user)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}")
        else:
            try:
                services.inspection_add(plan=plan, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Unit added to the plan."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(plan.get_absolute_url())


# --- inspections ----------------------------------------------------------------------------

class InspectionListView(ScopedListView):
    model = Inspection
    filterset_class = filters.InspectionFilterSet
    allowed_roles = ALL_ROLES
    title = gettext_lazy("Inspections")
    select_related = ("org_unit", "plan")
    columns = [
        Column(gettext_lazy("Inspection"), lambda i: i.plan.title, link=True),
        Column(gettext_lazy("Inspected unit"), "org_unit.name"), Column(gettext_lazy("Scheduled on"), "scheduled_on"),
        Column(gettext_lazy("Status"), "get_status_display"), Column(gettext_lazy("Problems found"), "n_problems"),
        Column(gettext_lazy("Open follow-ups"), "n_open"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(
            n_problems=Count("findings", filter=Q(findings__result=Finding.Result.PROBLEM), distinct=True),
            n_open=Count("findings__follow_up", filter=Q(findings__follow_up__status=FollowUpStatus.OPEN),
                         distinct=True)).order_by("-scheduled_on", "-pk")


class InspectionDetailView(ScopedDetailView):
    model = Inspection
    allowed_roles = ALL_ROLES
    template_name = "inspections/inspection_detail.html"
    select_related = ("org_unit", "plan")

    def get_breadcrumbs(self):
        return _crumb(_("Inspections"), "inspections:inspection_list")

    def get_context_data(self, **kwargs):
        from safecommunity.archive.models import Attachment

        ctx = super().get_context_data(**kwargs)
        findings = list(self.object.findings.select_related("item", "follow_up"))
        photos = {}
        if findings:
            from django.contrib.contenttypes.models import ContentType

            ct = ContentType.objects.get_for_model(Finding)
            for a in Attachment.objects.visible_to(self.request.user).filter(
                    content_type=ct, object_id__in=[f.pk for f in findings]):
                photos.setdefault(a.object_id, []).append(a)
        for f in findings:
            f.photo_list = photos.get(f.pk, [])
        ctx["findings"] = findings
        user = self.request.user
        ctx["can_record"] = permissions.plan(user, self.object) and self.object.status == Inspection.Status.PLANNED
        return ctx


class InspectionRecordView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """The on-site record, one column for a phone: a result per checklist item, what was found,
    photos, the deadline for each problem."""

    allowed_roles = OFFICE_ROLES
    template_name = "inspections/record.html"

    def get_title(self):
        return _("Record the inspection")

    def get_breadcrumbs(self):
        return _crumb(_("Inspections"), "inspections:inspection_list") + [
            (str(self.inspection), self.inspection.get_absolute_url())]

    def setup_objects(self, request, pk):
        self.inspection = get_object_or_404(
            Inspection.objects.visible_to(request.user).select_related("plan", "org_unit"), pk=pk)
        self.items = list(self.inspection.plan.items.all())

    def rows(self, data=None, errors=None):
        data = data or {}
        errors = errors or {}
        return [{"item": it, "result": data.get(f"result_{it.pk}", ""), "note": data.get(f"note_{it.pk}", ""),
                 "due_on": data.get(f"due_{it.pk}", ""), "error": errors.get(f"item_{it.pk}", "")}
                for it in self.items]

    def get(self, request, pk):
        self.setup_objects(request, pk)
        header = forms.RecordHeaderForm(initial={"inspected_on": timezone.localdate(),
                                                 "inspector": self.inspection.inspector})
        return self.render_to_response(self.get_context_data(inspection=self.inspection, header=header,
                                                             rows=self.rows(), results=forms.RESULT_CHOICES))

    def post(self, request, pk):
        self.setup_objects(request, pk)
        header = forms.RecordHeaderForm(request.POST)
        errors = {}
        if header.is_valid():
            results = []
            for it in self.items:
                result = request.POST.get(f"result_{it.pk}", "")
                if not result:
                    continue
                due = request.POST.get(f"due_{it.pk}", "")
                results.append(services.ItemResult(item=it, result=result, note=request.POST.get(f"note_{it.pk}", ""),
                                                   due_on=parse_date(due) if due else None,
                                                   photos=request.FILES.getlist(f"photos_{it.pk}")))
            try:
                services.inspection_record(inspection=self.inspection, results=results, actor=request.user,
                                           **header.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
                    if "__all__" in errors:
                        header.add_error(None, errors["__all__"])
                else:
                    header.add_error(None, exc.messages)
            else:
                messages.success(request, _("Inspection recorded; problems found are now follow-up items of the unit."))
                return HttpResponseRedirect(self.inspection.get_absolute_url())
        return self.render_to_response(self.get_context_data(
            inspection=self.inspection, header=header, rows=self.rows(request.POST, errors),
            results=forms.RESULT_CHOICES, has_errors=bool(errors)))


# --- follow-ups -----------------------------------------------------------------------------

def _source(item):
    if item.finding_id:
        return item.finding.inspection.plan.title
    if item.review_id:
        return str(item.review)
    return ""


class FollowUpListView(ScopedListView):
    model = FollowUpItem
    filterset_class = filters.FollowUpFilterSet
    allowed_roles = ALL_ROLES
    title = gettext_lazy("Inspection follow-up items")
    select_related = ("org_unit", "finding__inspection__plan", "review__org_unit")
    columns = [
        Column(gettext_lazy("Task"), "task", link=True), Column(gettext_lazy("Owner unit"), "org_unit.name"),
        Column(gettext_lazy("Arising from"), _source), Column(gettext_lazy("Due on"), "due_on"),
        Column(gettext_lazy("Status"), "get_status_display"), Column(gettext_lazy("Closed on"), "closed_on"),
    ]


class FollowUpDetailView(ScopedDetailView):
    model = FollowUpItem
    allowed_roles = ALL_ROLES
    template_name = "inspections/followup_detail.html"
    select_related = ("org_unit", "finding__inspection__plan", "finding__item", "review")

    def get_breadcrumbs(self):
        return _crumb(_("Inspection follow-up items"), "inspections:followup_list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["overdue"] = self.object.is_overdue(timezone.localdate())
        ctx["can_close"] = self.object.status == FollowUpStatus.OPEN and permissions.close(user, self.object)
        ctx["can_reopen"] = self.object.status == FollowUpStatus.CLOSED and permissions.reopen(user, self.object)
        ctx["close_form"] = forms.CloseForm(initial={"closed_on": timezone.localdate()})
        return ctx


class FollowUpCloseView(RoleRequiredMixin, View):
    allowed_roles = permissions.close.roles

    def post(self, request, pk):
        item = get_visible_or_404(request.user, FollowUpItem, pk=pk)
        if request.POST.get("reopen"):
            if not permissions.reopen(request.user):
                messages.error(request, _("Your role may not do this."))
            else:
                services.followup_reopen(item=item, actor=request.user, note=request.POST.get("note", ""))
                messages.success(request, _("Reopened."))
            return HttpResponseRedirect(item.get_absolute_url())
        form = forms.CloseForm(request.POST)
        if form.is_valid():
            try:
                services.followup_close(item=item, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Closed."))
                return HttpResponseRedirect(item.get_absolute_url())
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return HttpResponseRedirect(item.get_absolute_url())


class RankingView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = OFFICE_ROLES
    template_name = "inspections/ranking.html"
    title = gettext_lazy("Inspection results and open findings")

    def get(self, request):
        user = request.user
        area = user.org_unit if not user.is_superuser else OrgUnit.objects.filter(level=OrgUnit.Level.CITY).first()
        code = request.GET.get("unit")
        if code:
            area = get_visible_or_404(user, OrgUnit, code=code)
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        data = selectors.ranking(user, area=area, year=year)
        years = range(timezone.localdate().year, timezone.localdate().year - 6, -1)
        return self.render_to_response(self.get_context_data(data=data, area=area, year=year, years=years))


# --- year-end meeting -----------------------------------------------------------------------

REVIEW_FIELDS = [
    (gettext_lazy("Unit"), "org_unit.name"), (gettext_lazy("Year reviewed"), "year"),
    (gettext_lazy("Date of the meeting"), "held_on"), (gettext_lazy("Chaired by"), "chair"),
    (gettext_lazy("Attendees"), "attendees"), (gettext_lazy("Review of the year's targets"), "review"),
    (gettext_lazy("Problems found"), "problems"), (gettext_lazy("Next year's targets"), "next_targets"),
    (gettext_lazy("Measures"), "measures"),
]


class ReviewListView(ScopedListView):
    model = YearEndReview
    filterset_class = filters.ReviewFilterSet
    allowed_roles = ALL_ROLES
    title = gettext_lazy("Year-end analysis meetings")
    select_related = ("org_unit",)
    create_url_name = "inspections:review_create"
    create_roles = UNIT_WRITE
    columns = [
        Column(gettext_lazy("Meeting"), str, link=True), Column(gettext_lazy("Unit"), "org_unit.name"),
        Column(gettext_lazy("Year reviewed"), "year"), Column(gettext_lazy("Date of the meeting"), "held_on"),
        Column(gettext_lazy("Chaired by"), "chair"),
    ]


class ReviewFormMixin:
    model = YearEndReview
    form_class = forms.ReviewForm
    allowed_roles = UNIT_WRITE

    def get_breadcrumbs(self):
        return _crumb(_("Year-end analysis meetings"), "inspections:review_list")

    def save_service(self, obj, form):
        return services.review_save(review=obj, actor=self.request.user,
                                    follow_up_due_on=form.cleaned_data.get("follow_up_due_on"))


class ReviewCreateView(ReviewFormMixin, RecordCreateView):
    title = gettext_lazy("New year-end analysis meeting")

    def get_initial(self):
        today = timezone.localdate()
        return {"year": today.year if today.month >= 11 else today.year - 1, "held_on": today}


class ReviewUpdateView(ReviewFormMixin, RecordUpdateView):
    pass


class ReviewDetailView(RecordDetailView):
    model = YearEndReview
    allowed_roles = permissions.review_read.roles
    template_name = "inspections/review_detail.html"
    fields = REVIEW_FIELDS
    edit_url_name = "inspections:review_edit"
    evidence_url_name = "inspections:review_evidence"
    select_related = ("org_unit",)

    def get_breadcrumbs(self):
        return _crumb(_("Year-end analysis meetings"), "inspections:review_list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["scorecard"] = selectors.review_targets(self.object)
        ctx["follow_ups"] = self.object.follow_ups.all()
        return ctx


class ReviewEvidenceView(EvidenceUploadView):
    model = YearEndReview
    element_code = "E12"
