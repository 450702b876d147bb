"""Pages of the hazards app: the hazard register and its loop, the work list, the risk
registers and map, statistics, and the default rectification periods."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView, TemplateView

from safecommunity.core import uploads
from safecommunity.core.excel import xlsx_response
from safecommunity.core.pwa import is_outbox, outbox_done, outbox_errors
from safecommunity.core.roles import Role
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    Flag,
    RoleRequiredMixin,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
)
from safecommunity.orgunits.models import OrgUnit

from . import forms, imports, permissions, selectors, services
from .choices import PHOTO_AFTER, PHOTO_BEFORE, Action, Grade, RegisterKind, RiskLevel, Status
from .filters import HazardFilterSet, RiskEntryFilterSet
from .models import GradeDeadline, Hazard, RiskEntry

READ_ROLES = permissions.READ_ROLES


STATUS_CSS = {Status.REPORTED: "secondary", Status.ASSIGNED: "info", Status.RECTIFYING: "primary",
              Status.AWAITING: "warning", Status.CLOSED: "success"}
LEVEL_CSS = {RiskLevel.RED: "danger", RiskLevel.ORANGE: "orange", RiskLevel.YELLOW: "warning",
             RiskLevel.BLUE: "primary"}


def deadline_cell(h: Hazard):
    if not h.deadline:
        return ""
    if h.is_overdue:
        return Flag(_("%(d)s (overdue %(n)d days)") % {"d": h.deadline, "n": h.overdue_days}, "danger")
    return Flag(h.deadline.isoformat())


def hazard_breadcrumbs():
    return [(_("Hazard register"), reverse("hazards:hazard_list"))]


HAZARD_COLUMNS = [
    Column(pgettext_lazy("identifier", "No."), "number", link=True),
    Column(gettext_lazy("District/county"), "org_unit.parent.name"),
    Column(gettext_lazy("Unit"), "org_unit.name"),
    Column(pgettext_lazy("location", "Address"), "address", link=True),
    Column(gettext_lazy("Safety area"), "safety_area"),
    Column(gettext_lazy("Grade"), lambda h: Flag(h.get_grade_display(), "danger" if h.grade == Grade.MAJOR else "")),
    Column(gettext_lazy("Found on"), "found_on"),
    Column(gettext_lazy("Status"), lambda h: Flag(h.get_status_display(), STATUS_CSS.get(h.status, ""))),
    Column(gettext_lazy("Responsible"), lambda h: h.responsible_party or (h.responsible_unit or "")),
    Column(gettext_lazy("Department"), "department.name"),
    Column(gettext_lazy("Deadline"), deadline_cell),
    Column(gettext_lazy("Supervision"), lambda h: Flag(_("Supervised"), "danger") if h.is_supervised else ""),
]


class HazardListView(ScopedListView):
    model = Hazard
    allowed_roles = READ_ROLES
    filterset_class = HazardFilterSet
    title = gettext_lazy("Hazard register")
    select_related = ("org_unit__parent", "safety_area", "responsible_unit", "department")
    columns = HAZARD_COLUMNS
    create_url_name = "hazards:hazard_create"
    create_roles = services.REPORT_ROLES
    template_name = "hazards/hazard_list.html"


class WorkListView(HazardListView):
    title = gettext_lazy("Hazard work list")
    template_name = "hazards/worklist.html"
    empty_message = gettext_lazy("Nothing waits for you.")

    def get_base_queryset(self):
        qs = selectors.hazard_worklist(self.request.user)
        return qs.select_related(*self.select_related).order_by("deadline", "-found_on")


class HazardReportView(ServiceFormView):
    allowed_roles = services.REPORT_ROLES
    form_class = forms.HazardReportForm
    template_name = "hazards/hazard_report.html"
    title = gettext_lazy("Report a hazard")

    def get_breadcrumbs(self):
        return hazard_breadcrumbs()

    def perform(self, form):
        data = dict(form.cleaned_data)
        token = data.pop("kept_photos", "")
        if not data.get("photos"):  # the photos chosen before a validation error
            data["photos"] = uploads.kept(token, user=self.request.user)
        return services.hazard_report(actor=self.request.user, **data)

    def get_success_message(self, result):
        return _("Hazard %(n)s reported.") % {"n": result.number}

    def service_done(self, result):
        if is_outbox(self.request):
            return outbox_done(result.get_absolute_url(), str(result.number))
        return super().service_done(result)

    def form_invalid(self, form):
        """Keep the photos the user chose: stored aside, named on the form, used on the next submit.
        A submission from the phone's outbox gets its errors as JSON instead."""
        if is_outbox(self.request):
            return outbox_errors(form)
        user, photos = self.request.user, self.request.FILES.getlist("photos")
        if "photos" in form.errors:
            photos = []  # a file refused is not kept
        token = uploads.keep(photos, user=user) if photos else form.data.get("kept_photos", "")
        names = uploads.kept_names(token, user=user)
        if names:
            form.data = form.data.copy()
            form.data["kept_photos"] = token
            form["photos"].help_text = _("Kept from before: %(names)s. Choose photos again only to "
                                         "replace them.") % {"names": "、".join(names)}
        return super().form_invalid(form)


class HazardDetailView(ScopedDetailView):
    model = Hazard
    allowed_roles = READ_ROLES
    template_name = "hazards/hazard_detail.html"
    select_related = ("org_unit__parent", "safety_area", "responsible_unit", "department", "created_by")

    def get_breadcrumbs(self):
        return hazard_breadcrumbs()

    def get_title(self):
        return _("Hazard %(n)s") % {"n": self.object.number}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        h = self.object
        photos = list(services.hazard_photos(h))
        ctx["photos_before"] = [p for p in photos if p.role == PHOTO_BEFORE]
        ctx["photos_after"] = [p for p in photos if p.role == PHOTO_AFTER]
        ctx["steps"] = h.steps.select_related("actor").prefetch_related("photos")
        ctx["actions"] = [(a, Action(a).label, reverse("hazards:hazard_action", args=[h.pk, a]))
                          for a in services.allowed_actions(self.request.user, h)]
        ctx["comment_form"] = forms.CommentForm()
        ctx["comment_url"] = reverse("hazards:hazard_action", args=[h.pk, Action.COMMENT])
        ctx["status_css"] = STATUS_CSS.get(h.status, "")
        order = list(Status.values)
        current = order.index(h.status)
        ctx["loop"] = [(s.value, s.label, "current" if i == current else ("done" if i < current else ""))
                       for i, s in enumerate(Status)]
        return ctx


ACTIONS = {
    Action.ASSIGN: (forms.AssignForm, services.hazard_assign, gettext_lazy("Assign")),
    Action.START: (forms.NoteForm, services.hazard_start, gettext_lazy("Start")),
    Action.SUBMIT: (forms.SubmitForm, services.hazard_submit, pgettext_lazy("hazard", "Submit")),
    Action.ACCEPT: (forms.NoteForm, services.hazard_accept, gettext_lazy("Accept and close")),
    Action.RETURN: (forms.ReturnForm, services.hazard_return, gettext_lazy("Return")),
    Action.DEADLINE: (forms.DeadlineForm, services.hazard_set_deadline, gettext_lazy("Save")),
    Action.SUPERVISE: (forms.SuperviseForm, services.hazard_supervise, gettext_lazy("Put under supervision")),
    Action.COMMENT: (forms.CommentForm, services.hazard_comment, gettext_lazy("Comment")),
}


class HazardActionView(ServiceFormView):
    """One step of the loop: a form on GET, the service on POST."""

    allowed_roles = READ_ROLES
    template_name = "hazards/hazard_action.html"
    queryset = Hazard.objects.select_related("org_unit", "responsible_unit", "department")

    def load(self, request, *args, **kwargs):
        if kwargs["action"] not in ACTIONS:
            raise Http404
        self.action = kwargs["action"]
        super().load(request, *args, **kwargs)
        if self.action != Action.COMMENT and self.action not in services.allowed_actions(request.user, self.object):
            raise PermissionDenied(_("You may not do this now."))  # the step the detail page offers no button for

    def get_form_class(self):
        return ACTIONS[self.action][0]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "hazard": self.object}

    def get_title(self):
        return f"{Action(self.action).label} · {self.object.number}"

    def get_breadcrumbs(self):
        return hazard_breadcrumbs() + [(self.object.number, self.object.get_absolute_url())]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["hazard"] = self.object
        ctx["button"] = ACTIONS[self.action][2]
        ctx["photos_after"] = list(services.hazard_photos(self.object, PHOTO_AFTER))
        return ctx

    def perform(self, form):
        ACTIONS[self.action][1](hazard=self.object, actor=self.request.user, **form.cleaned_data)
        return self.object

    def get_success_message(self, result):
        return _("%(action)s: done.") % {"action": Action(self.action).label}


class HazardPhotoView(RoleRequiredMixin, TemplateView):
    """A photo of a hazard, to whoever may see the hazard (a department in its domain too)."""

    allowed_roles = READ_ROLES

    def get(self, request, pk, photo_pk):
        hazard = get_visible_or_404(request.user, Hazard, pk=pk)
        photo = get_object_or_404(services.hazard_photos(hazard), pk=photo_pk)
        return FileResponse(photo.file.open("rb"), filename=photo.original_name)


# --- risk registers -----------------------------------------------------------------------

def risk_columns(kind, editable=True):
    cols = [
        Column(gettext_lazy("Name"), "name", link=editable),
        Column(gettext_lazy("Register"), "get_kind_display"),
        Column(gettext_lazy("District/county"), "org_unit.parent.name"),
        Column(gettext_lazy("Creating unit"), "org_unit.name"),
        Column(gettext_lazy("Safety area"), "safety_area"),
        Column(gettext_lazy("Risk level"), lambda e: Flag(e.get_risk_level_display(), LEVEL_CSS.get(e.risk_level))),
    ]
    if kind in (None, RegisterKind.GROUP, RegisterKind.VULNERABLE):
        cols.append(Column(gettext_lazy("Number of people"), "count"))
    if kind in (None, RegisterKind.PLACE, RegisterKind.SOURCE):
        cols += [Column(pgettext_lazy("location", "Address"), "address"),
                 Column(gettext_lazy("Map point"),
                        lambda e: f"{e.latitude}, {e.longitude}" if e.has_point else "")]
    if kind in (None, RegisterKind.SOURCE):
        cols.append(Column(gettext_lazy("Supervising department"), "department.name"))
    cols.append(Column(gettext_lazy("Last reviewed on"), "last_reviewed_on"))
    return cols


class RiskEntryListView(ScopedListView):
    model = RiskEntry
    allowed_roles = READ_ROLES
    filterset_class = RiskEntryFilterSet
    select_related = ("org_unit__parent", "safety_area", "department")
    create_roles = services.REGISTER_ROLES
    import_url_name = "hazards:risk_import"
    import_roles = services.REGISTER_ROLES
    template_name = "hazards/risk_list.html"

    @property
    def kind(self):
        kind = self.request.GET.get("kind")
        return kind if kind in RegisterKind.values else None

    def get_title(self):
        return str(RegisterKind(self.kind).label) if self.kind else _("Risk diagnosis registers")

    def get_columns(self):
        return risk_columns(self.kind, editable=self._role_allows(self.create_roles))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = self._role_allows(self.create_roles)
        if self._role_allows(self.create_roles):
            ctx["create_url"] = reverse("hazards:risk_create") + (f"?kind={self.kind}" if self.kind else "")
        ctx["kinds"] = [(k.value, k.label) for k in RegisterKind]
        ctx["current_kind"] = self.kind
        return ctx


class RiskEntryImportView(RoleRequiredMixin, BreadcrumbMixin, FormView):
    """导入: an .xlsx of register entries; every row checked, all saved or none."""

    allowed_roles = services.REGISTER_ROLES
    form_class = forms.ImportForm
    template_name = "hazards/risk_import.html"
    title = gettext_lazy("Import register entries")

    def get_breadcrumbs(self):
        return [(_("Risk diagnosis registers"), reverse("hazards:risk_list"))]

    def get(self, request, *args, **kwargs):
        if request.GET.get("template") == "1":
            from django.http import HttpResponse
            from django.utils.http import content_disposition_header

            from safecommunity.core.excel import XLSX_MIME

            response = HttpResponse(imports.template_bytes(), content_type=XLSX_MIME)
            response["Content-Disposition"] = content_disposition_header(True, f"{self.get_title()}.xlsx")
            return response
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        result = imports.risk_entries_import(actor=self.request.user, uploaded=form.cleaned_data["file"])
        if result.errors:
            return self.render_to_response(self.get_context_data(form=form, errors=result.errors))
        messages.success(self.request, _("%(n)d entries imported.") % {"n": result.created})
        return HttpResponseRedirect(reverse("hazards:risk_list"))


class RiskEntryFormView(ServiceFormView):
    allowed_roles = services.REGISTER_ROLES
    form_class = forms.RiskEntryForm
    form_edits_object = True
    model = RiskEntry

    @property
    def kind(self):
        if self.object:
            return self.object.kind
        kind = self.request.GET.get("kind") or self.request.POST.get("kind")
        return kind if kind in RegisterKind.values else RegisterKind.GROUP

    def get_title(self):
        label = RegisterKind(self.kind).label
        return _("Edit: %(name)s") % {"name": self.object} if self.object else _("New entry: %(r)s") % {"r": label}

    def get_breadcrumbs(self):
        return [(RegisterKind(self.kind).label, reverse("hazards:risk_list") + f"?kind={self.kind}")]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.kind}

    def perform(self, form):
        return services.risk_entry_save(actor=self.request.user, entry=self.object, kind=self.kind,
                                        **form.cleaned_data)

    def get_success_url_for(self, result):
        return reverse("hazards:risk_list") + f"?kind={result.kind}"


class RiskEntryDeleteView(ScopedDeleteView):
    model = RiskEntry
    allowed_roles = services.REGISTER_ROLES

    def get_breadcrumbs(self):
        return [(_("Risk diagnosis registers"), reverse("hazards:risk_list"))]

    def get_title(self):
        return _("Delete: %(name)s") % {"name": self.object}

    def form_valid(self, form):
        kind = self.object.kind
        services.risk_entry_delete(actor=self.request.user, entry=self.object)
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(reverse("hazards:risk_list") + f"?kind={kind}")


class RiskMapView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = READ_ROLES
    template_name = "hazards/risk_map.html"
    title = gettext_lazy("Risk map")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filters = {}
        level = self.request.GET.get("level")
        kind = self.request.GET.get("kind")
        if level in RiskLevel.values:
            filters["risk_level"] = level
        if kind in RegisterKind.values:
            filters["kind"] = kind
        counts = selectors.risk_counts_by_district(user, **filters)
        ctx["map_data"] = {
            "counts": counts,
            "max": max(counts.values(), default=0) or 1,
            "points": selectors.risk_points(user, **filters),
            "hazards": selectors.hazard_points(user) if not filters else [],
            "focus": user.district.code if user.role in (Role.DISTRICT, Role.UNIT) and user.district else "",
            "levels": {k.value: str(k.label) for k in RiskLevel},
            "labels": {"entries": _("Register entries"), "hazards": _("Open hazards")},
        }
        ctx["levels"] = [(k.value, k.label) for k in RiskLevel]
        ctx["kinds"] = [(k.value, k.label) for k in RegisterKind]
        ctx["level"], ctx["kind"] = level, kind
        names = dict(OrgUnit.objects.districts().values_list("code", "name"))
        ctx["district_rows"] = sorted((names.get(c, c), c, n) for c, n in counts.items())
        return ctx


# --- statistics ---------------------------------------------------------------------------

class HazardStatsView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = READ_ROLES
    template_name = "hazards/stats.html"
    title = gettext_lazy("Hazard statistics")
    groupings = {"district": gettext_lazy("District/county"), "unit": gettext_lazy("Creating unit"),
                 "area": gettext_lazy("Safety area"),
                 "grade": gettext_lazy("Grade"), "month": gettext_lazy("Month found")}

    def params(self):
        by = self.request.GET.get("by", "district")
        by = by if by in selectors.GROUPINGS else "district"
        try:
            year = int(self.request.GET.get("year") or 0) or None
        except ValueError:
            year = None
        if year is not None and not 2000 <= year <= 2100:
            year = None
        return by, year

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            by, year = self.params()
            rows = selectors.hazard_stats(request.user, by=by, year=year)
            rows.append(selectors.stats_total(rows))
            headers = [self.groupings[by], _("Found"), _("Rectified"), _("Overdue"), _("Closed late"),
                       _("Rectification rate %"), _("Average days to close")]
            data = ([r["label"], r["found"], r["rectified"], r["overdue"], r["closed_late"], r["rate"], r["avg_days"]]
                    for r in rows)
            return xlsx_response(str(self.title), headers, data)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        by, year = self.params()
        rows = selectors.hazard_stats(self.request.user, by=by, year=year)
        ctx.update(by=by, year=year or "", rows=rows, total=selectors.stats_total(rows),
                   groupings=list(self.groupings.items()), by_label=self.groupings[by],
                   this_year=services.local_today().year)
        # The drill-down's conditions on the list: the same year found as the figures.
        ctx["year_q"] = f"&found_after={year}-01-01&found_before={year}-12-31" if year else ""
        ctx["chart"] = {
            "categories": [str(r["label"]) for r in rows],
            "series": [{"name": _("Found"), "data": [r["found"] for r in rows]},
                       {"name": _("Rectified"), "data": [r["rectified"] for r in rows]},
                       {"name": _("Overdue"), "data": [r["overdue"] for r in rows]}],
            "rotate": 30 if len(rows) > 8 else 0,
        }
        return ctx


# --- settings -----------------------------------------------------------------------------

class GradeDeadlineView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """The city edits the default rectification period of each grade."""

    allowed_roles = permissions.deadline_settings.roles
    template_name = "hazards/deadline_settings.html"
    title = gettext_lazy("Default rectification periods")

    def rows(self):
        rows = {r.grade: r for r in GradeDeadline.objects.all()}
        return [(g, rows.get(g.value)) for g in Grade]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = kwargs.get("rows") or [(g, row.days if row else "", "") for g, row in self.rows()]
        return ctx

    def post(self, request, *args, **kwargs):
        values, errors = {}, False
        shown = []
        for grade, _row in self.rows():
            raw = request.POST.get(grade.value, "").strip()
            error = ""
            try:
                days = int(raw)
                if not 1 <= days <= 730:
                    raise ValueError
                values[grade.value] = days
            except ValueError:
                error = _("%(grade)s: enter a whole number of days from 1 to 730.") % {"grade": grade.label}
                errors = True
            shown.append((grade, raw, error))
        if errors:
            return self.render_to_response(self.get_context_data(rows=shown))
        for grade, days in values.items():
            services.grade_deadline_set(actor=request.user, grade=grade, days=days)
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(request.path)
