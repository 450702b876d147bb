"""The generic pages of a unit record: create/update/delete through the record services, the
detail page with its evidence files, and the evidence upload. Projects, activities, inspections
and surveys subclass them, as they subclass core's generic views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from safecommunity.core.views import (
    RoleRequiredMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedUpdateView,
)

from .forms import EvidenceForm
from .services import (
    EVIDENCE_ROLES,
    READ_ROLES,
    WRITE_ROLES,
    evidence_add,
    evidence_of,
    record_delete,
    record_save,
)


class RecordFormMixin:
    """Create/update through `record_save`: a ValidationError goes back onto the form."""

    allowed_roles = WRITE_ROLES
    template_name = "core/form.html"

    def save_service(self, obj, form):
        return record_save(obj=obj, actor=self.request.user, form=form)

    def get_success_url(self):
        return self.object.get_absolute_url()


class RecordCreateView(RecordFormMixin, ScopedCreateView):
    pass


class RecordUpdateView(RecordFormMixin, ScopedUpdateView):
    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}


class RecordDeleteView(ScopedDeleteView):
    allowed_roles = WRITE_ROLES
    list_url_name = ""

    def delete_service(self, obj):
        record_delete(obj=obj, actor=self.request.user)

    def get_success_url(self):
        from django.urls import reverse

        return reverse(self.list_url_name)

    def get_title(self):
        return _("Delete %(name)s") % {"name": self.object}


class RecordDetailView(ScopedDetailView):
    """A record's fields, its evidence files and an upload form."""

    template_name = "records/record_detail.html"
    allowed_roles = READ_ROLES
    fields: list[tuple[str, str]] = []  # (label, accessor)
    edit_url_name = ""
    delete_url_name = ""
    evidence_url_name = ""

    def field_rows(self):
        from safecommunity.core.views import Column

        return [(label, Column(label, accessor).value(self.object)) for label, accessor in self.fields]

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        can_write = user.is_superuser or user.role in WRITE_ROLES
        ctx["field_rows"] = self.field_rows()
        labels = dict(EVIDENCE_ROLES)
        ctx["evidence"] = list(evidence_of(self.object))
        for a in ctx["evidence"]:
            a.role_label = labels.get(a.role, a.role)
        ctx["can_write"] = can_write
        ctx["evidence_form"] = EvidenceForm()
        ctx["edit_url"] = reverse(self.edit_url_name, args=[self.object.pk]) if can_write and self.edit_url_name else ""
        ctx["delete_url"] = (
            reverse(self.delete_url_name, args=[self.object.pk]) if can_write and self.delete_url_name else ""
        )
        ctx["evidence_url"] = (
            reverse(self.evidence_url_name, args=[self.object.pk]) if can_write and self.evidence_url_name else ""
        )
        return ctx


class EvidenceUploadView(RoleRequiredMixin, View):
    """POST files for one record; out of scope 404, wrong role 403, bad files a message."""

    allowed_roles = WRITE_ROLES
    model = None
    element_code = ""

    def get_object(self):
        return get_object_or_404(self.model.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def post(self, request, pk):
        obj = self.get_object()
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return HttpResponseRedirect(obj.get_absolute_url())
        try:
            added = evidence_add(obj=obj, files=form.cleaned_data["files"], role=form.cleaned_data["role"],
                                 actor=request.user, element_code=self.element_code,
                                 title=form.cleaned_data["title"])
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("%(n)d file(s) attached.") % {"n": len(added)})
        return HttpResponseRedirect(obj.get_absolute_url())
