"""Pages of injury surveillance. Every read starts from `visible_to(user)`; writes go through
services. Roles: creating units and district offices record; the city office, district
offices, creating units and municipal departments (their safety areas) read and analyse."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from safecommunity.core.excel import XLSX_MIME
from safecommunity.core.forms import apply_service_errors as _apply_errors
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
)

from . import choices, importer, permissions, services
from .forms import (
    ImportBatchFilterSet,
    ImportForm,
    InjuryRecordFilterSet,
    InjuryRecordForm,
    NilReportFilterSet,
    NilReportForm,
    PopulationFilterSet,
    PopulationForm,
    ReportingSourceForm,
    SourceFilterSet,
)
from .models import ImportBatch, InjuryRecord, NilReport, Population, ReportingSource

READ_ROLES = permissions.READ_ROLES
WRITE_ROLES = permissions.WRITE_ROLES
POPULATION_WRITE_ROLES = permissions.POPULATION_WRITE_ROLES
HOME = (gettext_lazy("Injury surveillance"), reverse_lazy("injuries:record_list"))


# --- records -----------------------------------------------------------------------------------

class RecordListView(ScopedListView):
    model = InjuryRecord
    allowed_roles = READ_ROLES
    title = gettext_lazy("Injury records")
    breadcrumbs = [HOME]
    filterset_class = InjuryRecordFilterSet
    select_related = ("org_unit", "safety_area", "mechanism", "severity", "outcome", "source", "place", "activity",
                      "intent", "nature", "body_part")
    create_url_name = "injuries:record_create"
    create_roles = WRITE_ROLES
    import_url_name = "injuries:import_create"
    import_roles = WRITE_ROLES

    def get_columns(self):
        user = self.request.user

        def personal(field):
            return lambda r: r.personal_for(user)[field] if r.has_personal else ""

        cols = [
            Column(_("Date of injury"), "occurred_on", link=True),
            Column(_("Time"), lambda r: r.occurred_time.strftime("%H:%M") if r.occurred_time else "", export=True),
            Column(_("Creating unit"), "org_unit.name"),
            Column(_("Age"), "age"),
            Column(_("Sex"), "get_sex_display"),
            Column(_("Safety area"), "safety_area"),
            Column(_("Mechanism (cause)"), "mechanism"),
            Column(_("Severity"), "severity"),
            Column(_("Outcome"), "outcome"),
            Column(_("Reporting source"), "source"),
            Column(_("Name of the injured"), personal("name")),
        ]
        if self.request.GET.get("export") == "xlsx":
            cols += [
                Column(_("Unit code"), "org_unit.code"),
                Column(_("Place within the unit"), "place_detail"),
                Column(_("Place of occurrence"), "place"),
                Column(_("Activity"), "activity"),
                Column(_("Intent"), "intent"),
                Column(_("Nature of injury"), "nature"),
                Column(_("Body part"), "body_part"),
                Column(_("ID number"), personal("id_number")),
                Column(_("Phone"), personal("phone")),
            ]
        return cols


class RecordDetailView(ScopedDetailView):
    model = InjuryRecord
    allowed_roles = READ_ROLES
    template_name = "injuries/record_detail.html"
    select_related = RecordListView.select_related

    def get_breadcrumbs(self):
        return [HOME, (_("Injury records"), reverse("injuries:record_list"))]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["personal"] = self.object.personal_for(user)
        ctx["personal_clear"] = selectors_can_see(user, self.object)
        ctx["can_delete"] = user.role in WRITE_ROLES or user.is_superuser
        # A case with personal data is edited by the recording unit only (the form shows the values).
        ctx["can_edit"] = ctx["can_delete"] and (ctx["personal_clear"] or not self.object.has_personal)
        return ctx


def selectors_can_see(user, record):
    from safecommunity.core.personal import can_see_personal

    return can_see_personal(user, record.org_unit_id)


class RecordFormView(ServiceFormView):
    allowed_roles = WRITE_ROLES
    form_class = InjuryRecordForm
    form_edits_object = True
    template_name = "injuries/record_form.html"
    model = InjuryRecord

    def new_object(self):
        return InjuryRecord()

    def load(self, request, *args, **kwargs):
        super().load(request, *args, **kwargs)
        if self.object.pk and not selectors_can_see(request.user, self.object) and self.object.has_personal:
            # Only the recording unit may edit a case with personal data (others would see it in the form).
            raise PermissionDenied(_("Only the recording unit may edit a case with personal data."))

    def get_title(self):
        return _("Edit injury record") if self.object.pk else _("New injury record")

    def get_breadcrumbs(self):
        return [HOME, (_("Injury records"), reverse("injuries:record_list"))]

    def perform(self, form):
        keep = bool(self.object.pk)  # an edit keeps the personal data left empty
        record = form.save(commit=False)
        personal = {f: form.cleaned_data[f] if (form.cleaned_data[f] or not keep) else None
                    for f in ("name", "id_number", "phone")}
        services.record_save(actor=self.request.user, record=record, **personal)
        return record

    def get_success_url_for(self, result):
        if self.request.POST.get("save_add"):
            return reverse("injuries:record_create")
        return result.get_absolute_url()


class RecordDeleteView(ScopedDeleteView):
    model = InjuryRecord
    allowed_roles = WRITE_ROLES
    success_url = reverse_lazy("injuries:record_list")
    title = gettext_lazy("Delete injury record")

    def form_valid(self, form):
        services.record_delete(actor=self.request.user, record=self.object)
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(self.success_url)


# --- reporting sources -------------------------------------------------------------------------

class SourceListView(ScopedListView):
    model = ReportingSource
    allowed_roles = permissions.sources.roles
    title = gettext_lazy("Reporting sources")
    breadcrumbs = [HOME]
    filterset_class = SourceFilterSet
    select_related = ("org_unit", "kind")
    create_url_name = "injuries:source_create"
    create_roles = WRITE_ROLES
    template_name = "injuries/source_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("org_unit__code", "name")

    @cached_property
    def month_counts(self) -> dict:
        """{source id: records this month} of the sources the user sees, in one GROUP BY over the
        month's records (a COUNT joined to every source read all ten years of records)."""
        today = timezone.localdate()
        return dict(InjuryRecord.objects.filter(
            source__in=self.get_base_queryset().values("pk"), occurred_on__gte=today.replace(day=1),
            occurred_on__lte=today).order_by().values_list("source").annotate(n=Count("pk")))

    def get_columns(self):
        counts = self.month_counts
        return [
            Column(_("Name"), "name", link=True),
            Column(_("Creating unit"), "org_unit.name"),
            Column(_("Kind"), "kind"),
            Column(_("Contact"), "contact"),
            Column(_("Active"), lambda s: _("Yes") if s.is_active else _("No")),
            Column(_("Records this month"), lambda s: counts.get(s.pk, 0)),
            Column(_("Reported this month"), lambda s: _("Reported") if counts.get(s.pk) else _("Not yet")),
        ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        active = self.get_queryset().filter(is_active=True).values_list("pk", flat=True)
        ctx["reported"] = sum(1 for pk in active if self.month_counts.get(pk))
        ctx["active_total"] = len(active)
        ctx["month"] = timezone.localdate().strftime("%Y-%m")
        return ctx


class SourceFormView(ServiceFormView):
    allowed_roles = WRITE_ROLES
    form_class = ReportingSourceForm
    form_edits_object = True
    model = ReportingSource
    success_url = reverse_lazy("injuries:source_list")

    def new_object(self):
        return ReportingSource()

    def get_title(self):
        return _("Edit reporting source") if self.object.pk else _("New reporting source")

    def get_breadcrumbs(self):
        return [HOME, (_("Reporting sources"), reverse("injuries:source_list"))]

    def perform(self, form):
        return services.source_save(actor=self.request.user, source=form.save(commit=False))


# --- nil reports -------------------------------------------------------------------------------

class NilReportListView(ScopedListView):
    model = NilReport
    allowed_roles = READ_ROLES
    title = gettext_lazy("Nil reports")
    breadcrumbs = [HOME]
    filterset_class = NilReportFilterSet
    select_related = ("org_unit", "safety_area")
    create_url_name = "injuries:nil_create"
    create_roles = WRITE_ROLES
    template_name = "injuries/nil_list.html"

    def get_columns(self):
        return [
            Column(_("Month"), lambda n: n.month.strftime("%Y-%m")),
            Column(_("Creating unit"), "org_unit.name"),
            Column(_("Safety area"), "safety_area"),
            Column(_("Note"), "note"),
            Column(_("Declared at"), "created_at"),
        ]


class NilReportCreateView(ServiceFormView):
    allowed_roles = WRITE_ROLES
    form_class = NilReportForm
    title = gettext_lazy("Declare a nil report")
    breadcrumbs = [HOME, (gettext_lazy("Nil reports"), reverse_lazy("injuries:nil_list"))]
    success_url = reverse_lazy("injuries:nil_list")
    success_message = gettext_lazy("Nil report declared.")

    def get_initial(self):
        return {"month": timezone.localdate().replace(day=1)}

    def perform(self, form):
        return services.nil_report_create(actor=self.request.user, **form.cleaned_data)


class NilReportDeleteView(ScopedDeleteView):
    model = NilReport
    allowed_roles = WRITE_ROLES
    success_url = reverse_lazy("injuries:nil_list")
    title = gettext_lazy("Withdraw nil report")

    def form_valid(self, form):
        services.nil_report_delete(actor=self.request.user, nil=self.object)
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(self.success_url)


# --- population --------------------------------------------------------------------------------

class PopulationListView(ScopedListView):
    model = Population
    allowed_roles = READ_ROLES
    title = gettext_lazy("Population")
    breadcrumbs = [HOME]
    filterset_class = PopulationFilterSet
    select_related = ("org_unit",)
    create_url_name = "injuries:population_create"
    create_roles = POPULATION_WRITE_ROLES
    import_url_name = "injuries:population_import"
    import_roles = POPULATION_WRITE_ROLES

    def get_queryset(self):
        return super().get_queryset().prefetch_related("counts")

    def get_columns(self):
        def cell(sex, band):
            return lambda p: next((c.count for c in p.counts.all() if c.sex == sex and c.age_band == band), "")

        cols = [
            Column(_("Year"), "year", link=True),
            Column(_("Unit code"), "org_unit.code"),
            Column(_("Creating unit"), "org_unit.name"),
            Column(_("Resident population"), "total"),
            Column(_("Workforce"), "workforce"),
            Column(_("Denominator for rates"), "denominator"),
        ]
        if self.request.GET.get("export") == "xlsx":
            for sex, label in (("M", "男"), ("F", "女")):
                for band in choices.AGE_BAND_CODES:
                    cols.append(Column(f"{label}{choices.age_band_label(band)}", cell(sex, band)))
        return cols


class PopulationFormView(ServiceFormView):
    allowed_roles = POPULATION_WRITE_ROLES
    form_class = PopulationForm
    form_edits_object = True
    template_name = "injuries/population_form.html"
    model = Population
    success_url = reverse_lazy("injuries:population_list")

    def get_title(self):
        return _("Edit population") if self.object else _("New population")

    def get_breadcrumbs(self):
        return [HOME, (_("Population"), reverse("injuries:population_list"))]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        ctx["bands"] = [(choices.age_band_label(b), [form[n] for n, s, bb in form.cells if bb == b])
                        for b in choices.AGE_BAND_CODES]
        return ctx

    def perform(self, form):
        return services.population_save(actor=self.request.user, org_unit=form.cleaned_data["org_unit"],
                                        year=form.cleaned_data["year"], counts=form.counts(),
                                        workforce=form.cleaned_data["workforce"])


# --- import ------------------------------------------------------------------------------------

class ImportListView(ScopedListView):
    model = ImportBatch
    allowed_roles = POPULATION_WRITE_ROLES
    title = gettext_lazy("Import batches")
    breadcrumbs = [HOME]
    filterset_class = ImportBatchFilterSet
    select_related = ("org_unit", "created_by")
    create_url_name = "injuries:import_create"
    create_roles = WRITE_ROLES

    def get_columns(self):
        return [
            Column(_("File name"), "file_name", link=True),
            Column(_("Kind"), "get_kind_display"),
            Column(_("Status"), "get_status_display"),
            Column(_("Rows"), "total_rows"),
            Column(_("Rows imported"), "imported_rows"),
            Column(_("Errors"), lambda b: sum(1 for e in b.errors if not e.get("duplicate"))),
            Column(_("Uploaded by"), "created_by"),
            Column(_("Uploaded at"), "created_at"),
        ]


class ImportCreateView(RoleRequiredMixin, BreadcrumbMixin, View):
    allowed_roles = WRITE_ROLES
    kind = ImportBatch.Kind.RECORDS

    def get(self, request):
        return self.render(ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = services.import_start(actor=request.user, uploaded=form.cleaned_data["file"], kind=self.kind,
                                              keep_duplicates=form.cleaned_data.get("duplicates") == "keep")
            except ValidationError as exc:
                _apply_errors(form, exc)
            except PermissionDenied:
                raise
            else:
                return HttpResponseRedirect(batch.get_absolute_url())
        return self.render(form)

    def render(self, form):
        records = self.kind == ImportBatch.Kind.RECORDS
        if not records:
            form.fields.pop("duplicates", None)
        return render(self.request, "injuries/import_form.html", {
            "form": form, "kind": self.kind,
            "title": _("Import injury records") if records else _("Import population"),
            "template_url": reverse("injuries:import_template") + ("" if records else "?kind=population"),
            "columns": importer.RECORD_COLUMNS if records else importer.POPULATION_COLUMNS,
            "breadcrumbs": [HOME, (_("Import batches"), reverse("injuries:import_list"))]})


class PopulationImportView(ImportCreateView):
    allowed_roles = POPULATION_WRITE_ROLES
    kind = ImportBatch.Kind.POPULATION


class ImportTemplateView(RoleRequiredMixin, View):
    allowed_roles = POPULATION_WRITE_ROLES

    def get(self, request):
        kind = ImportBatch.Kind.POPULATION if request.GET.get("kind") == "population" else ImportBatch.Kind.RECORDS
        name = _("Injury record import template") if kind == ImportBatch.Kind.RECORDS else _("Population import template")
        response = HttpResponse(importer.template_bytes(kind), content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
        return response


class ImportDetailView(ScopedDetailView):
    model = ImportBatch
    allowed_roles = POPULATION_WRITE_ROLES
    template_name = "injuries/import_detail.html"
    select_related = ("created_by", "org_unit")

    def get_breadcrumbs(self):
        return [HOME, (_("Import batches"), reverse("injuries:import_list"))]

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["injuries/import_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from django.core.cache import cache

        batch = self.object
        processed = batch.processed_rows
        if batch.status == ImportBatch.Status.RUNNING:
            processed = cache.get(importer.progress_key(batch.pk), processed)
        ctx["processed"] = processed
        ctx["percent"] = int(100 * processed / batch.total_rows) if batch.total_rows else 0
        ctx["stale"] = importer.is_stale(batch)
        ctx["running"] = batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING) and not ctx["stale"]
        ctx["errors_shown"] = [e for e in batch.errors if not e.get("duplicate")][:200]
        ctx["duplicates_shown"] = [e for e in batch.errors if e.get("duplicate")][:200]
        ctx["can_keep_duplicates"] = (self.request.user.role in WRITE_ROLES
                                      and bool(importer.skipped_duplicates(batch)))
        return ctx


class ImportKeepDuplicatesView(RoleRequiredMixin, View):
    """POST: import the rows an import skipped as duplicates after all (a new batch)."""

    allowed_roles = WRITE_ROLES

    def post(self, request, pk):
        batch = get_visible_or_404(request.user, ImportBatch, pk=pk)
        try:
            again = importer.import_skipped_duplicates(actor=request.user, batch=batch)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(batch.get_absolute_url())
        return HttpResponseRedirect(again.get_absolute_url())


class ImportStopView(RoleRequiredMixin, View):
    """POST: retry or cancel an import whose worker died (importer.is_stale)."""

    allowed_roles = POPULATION_WRITE_ROLES
    action = "retry"

    def post(self, request, pk):
        batch = get_visible_or_404(request.user, ImportBatch.objects.select_related("attachment"), pk=pk)
        service = services.import_retry if self.action == "retry" else services.import_cancel
        try:
            service(actor=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The import was started again.") if self.action == "retry"
                             else _("The import was cancelled; the file may be uploaded again."))
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportErrorsView(RoleRequiredMixin, View):
    allowed_roles = POPULATION_WRITE_ROLES

    def get(self, request, pk):
        batch = get_visible_or_404(request.user, ImportBatch, pk=pk)
        response = HttpResponse(importer.errors_bytes(batch.errors), content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition_header(True, f"{_('Import errors')}-{batch.pk}.xlsx")
        return response
