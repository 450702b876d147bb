"""Pages of the hospital feeds: upload → (map columns) → preview → import or cancel; the upload
list, undo, problem file, cases to place by hand, value mappings and push tokens. Every read
starts from `visible_to(user)`; writes go through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View

from safecommunity.core.excel import XLSX_MIME, cell_text, workbook_bytes
from safecommunity.core.forms import apply_service_errors as _apply_errors
from safecommunity.core.jobs import in_job, latest_for, start_download, subject_of
from safecommunity.core.models import Job
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
)

from . import card, permissions, push, services
from .forms import (
    CaseFilterSet,
    ColumnMapForm,
    PlaceForm,
    TokenFilterSet,
    TokenForm,
    UploadFilterSet,
    UploadForm,
    ValueMappingFilterSet,
    ValueMappingForm,
)
from .models import FeedCase, FeedToken, FeedUpload, ValueMapping

READ_ROLES = permissions.view.roles
WRITE_ROLES = permissions.write.roles
MAPPING_READ_ROLES = permissions.mappings.roles
MAPPING_WRITE_ROLES = permissions.mapping_edit.roles
HOME = (gettext_lazy("Hospital feeds"), reverse_lazy("feeds:upload_list"))


def _upload_for(request, pk) -> FeedUpload:
    return get_object_or_404(FeedUpload.objects.visible_to(request.user).select_related("source", "created_by"), pk=pk)


# --- uploads --------------------------------------------------------------------------------

class UploadListView(ScopedListView):
    model = FeedUpload
    allowed_roles = READ_ROLES
    title = gettext_lazy("Hospital feed uploads")
    breadcrumbs = [HOME]
    filterset_class = UploadFilterSet
    select_related = ("source", "org_unit", "created_by")
    create_url_name = "feeds:upload_create"
    create_roles = WRITE_ROLES
    import_url_name = "feeds:upload_create"
    import_roles = WRITE_ROLES
    empty_message = gettext_lazy("No hospital file has been uploaded yet. Use Import to upload a hospital export.")
    template_name = "feeds/upload_list.html"

    def get_columns(self):
        return [
            Column(_("File name"), lambda u: str(u), link=True),
            Column(_("Reporting source"), "source"),
            Column(_("Channel"), "get_channel_display"),
            Column(_("Status"), "get_status_display"),
            Column(_("Rows read"), "rows_read"),
            Column(_("Cases imported"), "rows_imported"),
            Column(_("Probable duplicates"), "rows_duplicate"),
            Column(_("Rows with problems"), "rows_problem"),
            Column(_("To place by hand"), "rows_unplaced"),
            Column(_("Uploaded by"), "created_by"),
            Column(_("Uploaded at"), "created_at"),
        ]


class UploadCreateView(RoleRequiredMixin, BreadcrumbMixin, View):
    allowed_roles = WRITE_ROLES

    def get(self, request):
        return self.render(UploadForm(user=request.user))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                upload = services.upload_create(actor=request.user, source=form.cleaned_data["source"],
                                                uploaded=form.cleaned_data["file"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if upload.status == FeedUpload.Status.MAPPING:
                    return HttpResponseRedirect(reverse("feeds:upload_columns", args=[upload.pk]))
                return HttpResponseRedirect(upload.get_absolute_url())
        return self.render(form)

    def render(self, form):
        return render(self.request, "feeds/upload_form.html", {
            "form": form, "title": _("Upload a hospital export"), "columns": card.COLUMNS,
            "required": card.REQUIRED_KEYS, "breadcrumbs": [HOME]})


class UploadDetailView(RoleRequiredMixin, View):
    """The preview (before import) or the result (after)."""

    allowed_roles = READ_ROLES

    def get(self, request, pk):
        upload = _upload_for(request, pk)
        job = latest_for(subject_of(upload))  # the analysis or import working on it (core.jobs)
        show_job = job is not None and (job.is_active or (
            job.status in (Job.Status.INTERRUPTED, Job.Status.FAILED) and upload.status in (
                FeedUpload.Status.ANALYSING, FeedUpload.Status.PREVIEW)))
        if request.htmx:  # the progress block's poll: the block while it runs, else the whole page again
            if show_job and job.is_active:
                return render(request, "core/job_progress.html", {"job": job, "poll_url": request.path})
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        if upload.status == FeedUpload.Status.MAPPING:
            return HttpResponseRedirect(reverse("feeds:upload_columns", args=[upload.pk]))
        summary = upload.summary or {}
        can_write = permissions.write(request.user)
        return render(request, "feeds/upload_detail.html", {
            "object": upload, "summary": summary, "problems": (summary.get("problems") or [])[:200],
            "job": job if show_job else None, "poll_url": request.path,
            "title": str(upload), "can_write": can_write,
            "can_undo": upload.status == FeedUpload.Status.IMPORTED and upload.created_by_id == request.user.pk,
            "blockers": services.undo_blockers(upload) if upload.status == FeedUpload.Status.IMPORTED else [],
            "cases_url": reverse("feeds:case_list") + "?status=unplaced",
            "breadcrumbs": [HOME, (_("Hospital feed uploads"), reverse("feeds:upload_list"))]})


class ColumnMapView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def get(self, request, pk):
        upload = _upload_for(request, pk)
        if upload.status not in (FeedUpload.Status.MAPPING, FeedUpload.Status.PREVIEW):
            return HttpResponseRedirect(upload.get_absolute_url())
        return self.render(upload, ColumnMapForm(headers=upload.summary.get("headers", []), current=upload.columns))

    def post(self, request, pk):
        upload = _upload_for(request, pk)
        form = ColumnMapForm(request.POST, headers=upload.summary.get("headers", []), current=upload.columns)
        if form.is_valid():
            try:
                services.columns_map(actor=request.user, upload=upload, columns=form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Column mapping saved for %(source)s.") % {"source": upload.source})
                return HttpResponseRedirect(upload.get_absolute_url())
        return self.render(upload, form)

    def render(self, upload, form):
        missing = [card.BY_KEY[k].label for k in upload.summary.get("missing", [])]
        return render(self.request, "feeds/columns_form.html", {
            "form": form, "object": upload, "missing": missing, "title": _("Map the columns of %(name)s") % {
                "name": upload.file_name},
            "breadcrumbs": [HOME, (str(upload), upload.get_absolute_url())]})


class _UploadAction(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES
    service = None
    done_message = ""

    def post(self, request, pk):
        upload = _upload_for(request, pk)
        try:
            getattr(services, self.service)(actor=request.user, upload=upload)
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                for m in msgs:
                    messages.error(request, m)
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(upload.get_absolute_url())


class UploadImportView(_UploadAction):
    service = "upload_import_start"
    done_message = gettext_lazy("The import has started: this page shows its progress.")


class UploadCancelView(_UploadAction):
    service = "upload_cancel"
    done_message = gettext_lazy("The upload was cancelled; nothing was imported.")


class UploadUndoView(_UploadAction):
    service = "upload_undo"
    done_message = gettext_lazy("The import was undone: its cases were removed.")

    def get(self, request, pk):
        upload = _upload_for(request, pk)
        return render(request, "feeds/confirm_undo.html", {
            "object": upload, "title": _("Undo the import of %(name)s") % {"name": upload},
            "blockers": services.undo_blockers(upload),
            "breadcrumbs": [HOME, (str(upload), upload.get_absolute_url())]})


class ProblemFileView(RoleRequiredMixin, View):
    """The rows with problems, as they were in the file, with the reasons: to correct and re-upload."""

    allowed_roles = WRITE_ROLES

    def get(self, request, pk):
        upload = _upload_for(request, pk)
        summary = upload.summary or {}
        wanted = set(summary.get("problem_rows") or [])
        reasons: dict[int, list[str]] = {}
        for row, column, reason in summary.get("problems") or []:
            reasons.setdefault(row, []).append(f"{column}：{reason}")
        headers = summary.get("headers") or []
        rows = []
        if upload.attachment_id and wanted:
            with upload.attachment.file.open("rb") as fh:
                data = fh.read()
            _h, headers, _found, body = card.open_table(data, upload.file_name, upload.columns)
            for n, cells in body:
                if n in wanted:
                    rows.append([n, "；".join(reasons.get(n, [])), *[cell_text(c) for c in cells]])
        content = workbook_bytes([(_("Problems"), [_("Row"), _("Problems"), *headers], rows)])
        response = HttpResponse(content, content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{_('Problems')}-{upload.file_name.rsplit('.', 1)[0] or upload.pk}.xlsx")
        return response


# --- cases ----------------------------------------------------------------------------------

class CaseListView(ScopedListView):
    model = FeedCase
    allowed_roles = READ_ROLES
    title = gettext_lazy("Feed cases")
    breadcrumbs = [HOME]
    filterset_class = CaseFilterSet
    select_related = ("upload", "source", "org_unit", "record")

    def get_columns(self):
        can_place = permissions.write(self.request.user)

        def place_link(c):
            if can_place and c.status == FeedCase.Status.UNPLACED:
                return reverse("feeds:case_place", args=[c.pk])
            if c.record_id:
                return reverse("injuries:record_detail", args=[c.record_id])
            if c.duplicate_of_id:
                return reverse("injuries:record_detail", args=[c.duplicate_of_id])
            return ""

        # A case placed in the user's unit may come from a file of a source the user does not see:
        # the upload is a link only where its page (the same visible_to) opens for the user.
        uploads = set(FeedUpload.objects.visible_to(self.request.user).values_list("pk", flat=True))

        return [
            Column(_("Upload"), "upload", link=lambda c: c.upload.get_absolute_url() if c.upload_id in uploads else ""),
            Column(_("Row"), "row"),
            Column(_("Card number"), "card_number"),
            Column(_("Reporting source"), "source"),
            Column(_("Status"), "get_status_display", link=place_link),
            Column(_("Unit"), "org_unit"),
            Column(_("Date of injury"), "occurred_on"),
            Column(pgettext("person", "Address"), "address"),
        ]


class CasePlaceView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def _case(self, request, pk):
        return get_object_or_404(FeedCase.objects.visible_to(request.user).select_related("upload", "source"), pk=pk)

    def get(self, request, pk):
        case = self._case(request, pk)
        return self.render(case, PlaceForm(user=request.user))

    def post(self, request, pk):
        case = self._case(request, pk)
        form = PlaceForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.case_place(actor=request.user, case=case, org_unit=form.cleaned_data["org_unit"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The case was placed in %(unit)s.") % {"unit": form.cleaned_data["org_unit"]})
                return HttpResponseRedirect(reverse("feeds:case_list") + "?status=unplaced")
        return self.render(case, form)

    def render(self, case, form):
        return render(self.request, "feeds/place_form.html", {
            "form": form, "case": case, "title": _("Place a case by hand"),
            "breadcrumbs": [HOME, (_("Feed cases"), reverse("feeds:case_list"))]})


# --- value mappings -------------------------------------------------------------------------

class ValueMappingListView(ScopedListView):
    model = ValueMapping
    allowed_roles = MAPPING_READ_ROLES
    title = gettext_lazy("Value mappings")
    breadcrumbs = [HOME]
    filterset_class = ValueMappingFilterSet
    select_related = ("item", "item__codelist")
    create_url_name = "feeds:valuemap_create"
    create_roles = MAPPING_WRITE_ROLES
    paginate_by = 50

    def get_columns(self):
        can_edit = permissions.mapping_edit(self.request.user)
        return [
            Column(_("Card field"), "get_field_display"),
            Column(_("Value on the card"), "value", link=can_edit),
            Column(_("Code list item"), "item.name"),
            Column(_("Code"), "item.code"),
        ]


class ValueMappingCreateView(ScopedCreateView):
    model = ValueMapping
    form_class = ValueMappingForm
    allowed_roles = MAPPING_WRITE_ROLES
    title = gettext_lazy("New value mapping")
    breadcrumbs = [HOME, (gettext_lazy("Value mappings"), reverse_lazy("feeds:valuemap_list"))]
    success_url = reverse_lazy("feeds:valuemap_list")

    def save_service(self, obj, form):
        return services.value_mapping_save(mapping=obj, actor=self.request.user)


class ValueMappingUpdateView(ScopedUpdateView):
    model = ValueMapping
    form_class = ValueMappingForm
    allowed_roles = MAPPING_WRITE_ROLES
    title = gettext_lazy("Edit value mapping")
    breadcrumbs = [HOME, (gettext_lazy("Value mappings"), reverse_lazy("feeds:valuemap_list"))]
    success_url = reverse_lazy("feeds:valuemap_list")

    def save_service(self, obj, form):
        return services.value_mapping_save(mapping=obj, actor=self.request.user)


class ValueMappingDeleteView(ScopedDeleteView):
    model = ValueMapping
    allowed_roles = MAPPING_WRITE_ROLES
    title = gettext_lazy("Delete value mapping")
    breadcrumbs = [HOME, (gettext_lazy("Value mappings"), reverse_lazy("feeds:valuemap_list"))]
    success_url = reverse_lazy("feeds:valuemap_list")

    def delete_service(self, obj):
        services.value_mapping_delete(mapping=obj, actor=self.request.user)


# --- push tokens ----------------------------------------------------------------------------

class TokenListView(ScopedListView):
    model = FeedToken
    allowed_roles = WRITE_ROLES
    title = gettext_lazy("Push tokens")
    breadcrumbs = [HOME]
    filterset_class = TokenFilterSet
    select_related = ("source", "scope_unit", "created_by")
    create_url_name = "feeds:token_create"
    create_roles = WRITE_ROLES

    def get_columns(self):
        def revoke(t):
            return reverse("feeds:token_revoke", args=[t.pk]) if t.is_active else ""

        return [
            Column(_("Name"), "name"),
            Column(_("Key starts with"), "prefix"),
            Column(_("Reporting source"), "source"),
            Column(_("Places cases within"), "scope_unit"),
            Column(_("Active"), lambda t: _("Yes") if t.is_active else _("No")),
            Column(_("Last used"), "last_used_at"),
            Column(_("Issued by"), "created_by"),
            Column(_("Action"), lambda t: _("Revoke") if t.is_active else "", link=revoke, export=False),
        ]


class TokenCreateView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def get(self, request):
        return self.render(TokenForm(user=request.user))

    def post(self, request):
        form = TokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                token, key = push.token_issue(actor=request.user, source=form.cleaned_data["source"],
                                                  name=form.cleaned_data["name"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return render(request, "feeds/token_issued.html", {
                    "token": token, "key": key, "title": _("Push token issued"),
                    "push_url": request.build_absolute_uri("/api/v1/feeds/push/"),
                    "breadcrumbs": [HOME, (_("Push tokens"), reverse("feeds:token_list"))]})
        return self.render(form)

    def render(self, form):
        return render(self.request, "core/form.html", {
            "form": form, "title": _("Issue a push token"),
            "breadcrumbs": [HOME, (_("Push tokens"), reverse("feeds:token_list"))]})


class TokenRevokeView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def get(self, request, pk):
        token = get_object_or_404(FeedToken.objects.visible_to(request.user), pk=pk)
        return render(request, "feeds/confirm_revoke.html", {
            "object": token, "title": _("Revoke push token"),
            "breadcrumbs": [HOME, (_("Push tokens"), reverse("feeds:token_list"))]})

    def post(self, request, pk):
        token = get_object_or_404(FeedToken.objects.visible_to(request.user), pk=pk)
        push.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token was revoked."))
        return HttpResponseRedirect(reverse("feeds:token_list"))


class CardExportView(RoleRequiredMixin, BreadcrumbMixin, View):
    """The CDC's quarterly export in the layout of the national injury report card (see export.py).
    The records are those the user may read; personal fields masked unless the user may see them."""

    allowed_roles = READ_ROLES

    def get(self, request):
        from django.utils import timezone

        from . import export
        from .forms import CardExportForm

        if "year" not in request.GET:  # the form, set to the quarter that ended last
            today = timezone.localdate()
            last = (today.month - 1) // 3
            year, quarter = (today.year, last) if last else (today.year - 1, 4)
            return self.render(CardExportForm(initial={"year": year, "quarter": quarter, "fmt": "xlsx",
                                                       "encoding": "utf-8"}))
        form = CardExportForm(request.GET)
        if not form.is_valid():
            return self.render(form)
        d = form.cleaned_data
        name = _("Injury report cards") + f"-{request.user.org_unit or ''}-{d['year']}Q{d['quarter']}.{d['fmt']}"
        if not in_job(request):  # a city's quarter: made on a worker, the user waits on the job's page
            return start_download(request, name)
        data = export.export_bytes(request.user, year=d["year"], quarter=d["quarter"], fmt=d["fmt"],
                                   encoding=d.get("encoding") or "utf-8")
        mime = XLSX_MIME if d["fmt"] == "xlsx" else "text/csv; charset=" + ("gb18030" if d.get("encoding") == "gbk" else "utf-8")
        response = HttpResponse(data, content_type=mime)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def render(self, form):
        return render(self.request, "feeds/export_form.html", {
            "form": form, "title": _("Quarterly export (report card layout)"),
            "breadcrumbs": [HOME]})
