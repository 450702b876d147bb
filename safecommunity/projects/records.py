"""Pieces shared by the record pages of projects and activities: the org-unit field of a form,
the save service, evidence files and the generic detail page.

Every write goes through `record_save` / `evidence_add`: role and scope checked, full_clean,
one transaction; on bad input a ValidationError naming the field and nothing written.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.archive.models import Attachment
from safecommunity.archive.services import attachment_create
from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.core.views import (
    RoleRequiredMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedUpdateView,
)
from safecommunity.orgunits.models import OrgUnit

WRITE_ROLES = frozenset({Role.UNIT, Role.DISTRICT})
READ_ROLES = frozenset({Role.CITY, Role.DISTRICT, Role.UNIT})
CREATING_LEVELS = (OrgUnit.Level.TOWNSHIP, OrgUnit.Level.ENTERPRISE, OrgUnit.Level.PARK)


# ---------------------------------------------------------------- services


@transaction.atomic
def record_save(*, obj, actor, form=None, m2m=None, roles=WRITE_ROLES):
    """Create or update a unit record (and its many-to-many fields: from the form, or `m2m`)."""
    require_role(actor, *roles)
    require_scope(actor, obj.org_unit)
    if obj.pk is None and hasattr(obj, "created_by_id") and obj.created_by_id is None:
        obj.created_by = actor
    obj.full_clean()
    obj.save()
    if form is not None:
        form.save_m2m()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj


@transaction.atomic
def record_delete(*, obj, actor, roles=WRITE_ROLES) -> None:
    require_role(actor, *roles)
    require_scope(actor, obj.org_unit)
    Attachment.objects.for_object(obj).delete()
    obj.delete()


EVIDENCE_ROLES = [
    ("sign_in_sheet", gettext_lazy("Sign-in sheet")),
    ("photo", gettext_lazy("Photo")),
    ("minutes", gettext_lazy("Minutes")),
    ("document", gettext_lazy("Document")),
    ("evaluation_form", gettext_lazy("Evaluation form")),
    ("other", gettext_lazy("Other")),
]
EVIDENCE_ROLE_CODES = {code for code, _label in EVIDENCE_ROLES}


@transaction.atomic
def evidence_add(*, obj, files, role: str, actor, element_code: str = "", title: str = "") -> list[Attachment]:
    """Attach uploaded files to `obj` through the archive (checksum, size and type limits).

    All or nothing: one refused file and none is stored.
    """
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, obj.org_unit)
    if role not in EVIDENCE_ROLE_CODES:
        raise ValidationError({"role": _("Choose what the file is.")})
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    element = CodeItem.objects.of("aqt_element").filter(code=element_code).first() if element_code else None
    return [
        attachment_create(uploaded=f, org_unit=obj.org_unit, actor=actor, obj=obj, role=role, element=element,
                          title=title)
        for f in files
    ]


def evidence_of(obj):
    return Attachment.objects.for_object(obj).select_related("uploaded_by")


# ---------------------------------------------------------------- forms


def unit_choices(user, *, allow_district=False):
    """Org units a user may record for: its creating unit; a district also its units (and itself)."""
    qs = OrgUnit.objects.visible_to(user)
    levels = Q(level__in=CREATING_LEVELS)
    if allow_district:
        levels |= Q(level=OrgUnit.Level.DISTRICT)
    return qs.filter(levels).order_by("code")


class OrgUnitFormMixin:
    """Give the form an `org_unit` field limited to the user's units; fixed for a unit worker."""

    allow_district = False

    def setup_org_unit(self, user):
        self.user = user
        if "org_unit" not in self.fields:
            return
        field = self.fields["org_unit"]
        field.queryset = unit_choices(user, allow_district=self.allow_district)
        field.label_from_instance = lambda u: f"{u.name} ({u.code})"
        if user is not None and user.role == Role.UNIT:
            field.initial = user.org_unit_id
            field.disabled = True
            if not self.instance.pk:
                self.instance.org_unit_id = user.org_unit_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class EvidenceForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("What it is"), choices=EVIDENCE_ROLES)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    files = MultipleFileField(label=gettext_lazy("Files"), required=True)


# ---------------------------------------------------------------- views


class RecordFormMixin:
    """Create/update through `record_save`: a ValidationError goes back onto the form."""

    allowed_roles = WRITE_ROLES
    template_name = "core/form.html"

    def save_service(self, obj, form):
        return record_save(obj=obj, actor=self.request.user, form=form)

    def form_valid(self, form):
        obj = form.save(commit=False)
        try:
            self.object = self.save_service(obj, form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

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

    def form_valid(self, form):
        from django.urls import reverse

        try:
            record_delete(obj=self.object, actor=self.request.user)
        except PermissionDenied:
            raise
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(reverse(self.list_url_name))

    def get_title(self):
        return _("Delete %(name)s") % {"name": self.object}


class RecordDetailView(ScopedDetailView):
    """A record's fields, its evidence files and an upload form."""

    template_name = "projects/record_detail.html"
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
