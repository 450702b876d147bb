from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from safecommunity.core.jobs import BackgroundDownloadMixin
from safecommunity.core.roles import Role
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceFormView,
)
from safecommunity.orgunits.models import CreatingUnit

from . import permissions, services
from .binder import build_binder
from .filters import AttachmentFilterSet
from .forms import AttachmentEditForm, FileDocumentForm
from .models import Attachment, personal_roles
from .selectors import completeness, element_counts, elements

ARCHIVE_ROLES = permissions.view.roles
WRITE_ROLES = permissions.write.roles




class AttachmentDownloadView(RoleRequiredMixin, View):
    """Files are only ever served through here, after the scope check (out of scope: 404)."""

    def get(self, request, pk):
        attachment = Attachment.objects.visible_to(request.user).filter(pk=pk).first()
        if attachment is None:  # a file holding personal data: only for who sees clear values
            attachment = Attachment.all_files.filter(pk=pk, role__in=personal_roles()).first()
            if attachment is None or not services.personal_file_readable(attachment, request.user):
                raise Http404
        inline = attachment.kind == Attachment.Kind.PHOTO or request.GET.get("inline") == "1"
        return FileResponse(attachment.file.open("rb"), as_attachment=not inline, filename=attachment.original_name)


_ELEMENT_NAMES: dict[str, str] = {}


def _element_label(att):
    if att.element_id:
        return f"{att.element.code} {att.element.name}"
    code = att.effective_element_code
    if not code:
        return _("(not indexed)")
    if code not in _ELEMENT_NAMES:
        _ELEMENT_NAMES.update({e.code: e.name for e in elements()})
    return f"{code} {_ELEMENT_NAMES.get(code, '')}" + _(" (by record type)")


def _integrity(att):
    if att.verified_ok is None:
        return _("not verified")
    return _("intact") if att.verified_ok else _("CHANGED")


class AttachmentListView(ScopedListView):
    model = Attachment
    allowed_roles = ARCHIVE_ROLES
    filterset_class = AttachmentFilterSet
    title = gettext_lazy("Creation archive")
    template_name = "archive/attachment_list.html"
    select_related = ("org_unit", "element", "uploaded_by", "content_type")
    create_url_name = "archive:file_document"
    create_roles = WRITE_ROLES
    columns = [
        Column(gettext_lazy("Title"), lambda a: str(a), link=True),
        Column(gettext_lazy("Unit"), "org_unit.name"),
        Column(gettext_lazy("AQ/T 9001 element"), _element_label),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Document date"), "document_date"),
        Column(gettext_lazy("Uploaded by"), "uploaded_by"),
        Column(gettext_lazy("Uploaded at"), "uploaded_at"),
        Column(gettext_lazy("Size (bytes)"), "size"),
        Column(gettext_lazy("SHA-256 checksum"), "sha256", css="small font-monospace text-break"),
        Column(gettext_lazy("Integrity"), _integrity),
    ]

    def get_columns(self):
        if self.request.GET.get("export") == "xlsx":
            return self.columns
        short = Column(gettext_lazy("SHA-256 checksum"), lambda a: f"{a.sha256[:12]}…", css="small font-monospace")
        return [short if c.accessor == "sha256" else c for c in self.columns]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_write"] = permissions.write(self.request.user)
        ctx["units"] = CreatingUnit.objects.visible_to(self.request.user).select_related("org_unit")[:500] \
            if self.request.user.role != Role.UNIT else []
        ctx["own_unit"] = self.request.user.creating_unit
        return ctx


class FileDocumentView(ServiceFormView):
    allowed_roles = WRITE_ROLES
    form_class = FileDocumentForm
    title = gettext_lazy("File a document in the archive")

    def get_breadcrumbs(self):
        return [(_("Creation archive"), reverse("archive:attachment_list"))]

    def perform(self, form):
        cu = form.cleaned_data["creating_unit"]
        return services.attachment_file(uploaded=form.cleaned_data["file"], org_unit=cu.org_unit,
                                        actor=self.request.user, element=form.cleaned_data["element"],
                                        title=form.cleaned_data["title"],
                                        document_date=form.cleaned_data["document_date"])

    def get_success_message(self, result):
        return _("%(t)s was filed (checksum %(s)s…).") % {"t": result, "s": result.sha256[:12]}

    def get_success_url_for(self, result):
        return reverse("archive:attachment_list") + f"?unit={result.org_unit.code}"


class AttachmentEditView(ServiceFormView):
    allowed_roles = WRITE_ROLES
    form_class = AttachmentEditForm
    model = Attachment
    success_url = reverse_lazy("archive:attachment_list")

    def get_title(self):
        return _("Index %(t)s") % {"t": self.object}

    def get_breadcrumbs(self):
        return [(_("Creation archive"), reverse("archive:attachment_list"))]

    def get_initial(self):
        a = self.object
        return {"element": a.element, "title": a.title, "document_date": a.document_date}

    def perform(self, form):
        return services.attachment_set_element(attachment=self.object, actor=self.request.user,
                                               element=form.cleaned_data["element"], title=form.cleaned_data["title"],
                                               document_date=form.cleaned_data["document_date"])


class AttachmentVerifyView(RoleRequiredMixin, View):
    """Recompute the checksum: intact or changed since upload."""

    allowed_roles = ARCHIVE_ROLES

    def post(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        if services.attachment_check(attachment=attachment, actor=request.user):
            messages.success(request, _("%(t)s is intact: its checksum matches the one taken at upload.")
                             % {"t": attachment})
        else:
            messages.error(request, _("%(t)s has CHANGED or is missing: its checksum no longer matches.")
                           % {"t": attachment})
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("archive:attachment_list")
        return HttpResponseRedirect(back)


def _unit_for(request, code):
    return get_object_or_404(CreatingUnit.objects.visible_to(request.user).select_related("org_unit"),
                             org_unit__code=code)


class CompletenessView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = ARCHIVE_ROLES
    template_name = "archive/completeness.html"

    def get(self, request, *args, **kwargs):
        if "code" not in kwargs and request.user.creating_unit is not None:
            return HttpResponseRedirect(reverse("archive:completeness", args=[request.user.creating_unit.org_unit.code]))
        return super().get(request, *args, **kwargs)

    def get_title(self):
        return _("Archive completeness") + (f" · {self.unit}" if getattr(self, "unit", None) else "")

    def get_breadcrumbs(self):
        return [(_("Creation archive"), reverse("archive:attachment_list"))]

    def get_context_data(self, **kwargs):
        code = self.kwargs.get("code") or self.request.GET.get("unit")
        self.unit = _unit_for(self.request, code) if code else None
        ctx = super().get_context_data(**kwargs)
        ctx["unit"] = self.unit
        ctx["units"] = CreatingUnit.objects.visible_to(self.request.user).select_related("org_unit")[:500]
        if self.unit:
            ctx["rows"] = completeness(self.unit.org_unit)
            ctx["unindexed"] = element_counts(Attachment.objects.filter(org_unit=self.unit.org_unit)).get("", 0)
        return ctx


class BinderView(RoleRequiredMixin, BackgroundDownloadMixin, View):
    """The unit's whole archive as one zip with contents.xlsx (the evaluation team's binder),
    made on a worker (core.jobs)."""

    allowed_roles = ARCHIVE_ROLES

    def check_download(self, request, code):
        _unit_for(request, code)

    def get(self, request, code):
        unit = _unit_for(request, code)
        files = Attachment.objects.visible_to(request.user).filter(org_unit=unit.org_unit)
        out, _rows = build_binder(unit.org_unit, files)
        return FileResponse(out, as_attachment=True, filename=f"{unit.org_unit.code}-{unit.org_unit.name}-创建档案.zip",
                            content_type="application/zip")
