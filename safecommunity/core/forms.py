import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CREATING_LEVELS
from .models import CodeItem, CodeList
from .roles import Role
from .scoping import org_unit_model


class DateInput(forms.DateInput):
    """The one date widget: <input type=date> with the ISO value it needs (a date written any
    other way shows an empty box)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files (the field's `clean` returns a list)."""

    allow_multiple_selected = True


class UnitLabelMixin:
    """How an org unit (or a record with one) reads as an option: `label_format`."""

    def __init__(self, *args, label_format: str = "{code} {name}", **kwargs):
        self.label_format = label_format
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        unit = getattr(obj, "org_unit", obj)
        parent = unit.parent.name if "{parent}" in self.label_format and unit.parent_id else ""
        return self.label_format.format(code=unit.code, name=unit.name, parent=parent).strip()


class UnitChoiceField(UnitLabelMixin, forms.ModelChoiceField):
    """A choice of org unit — or of a record that has one, such as a creating unit — among the
    ones its form puts in `queryset` (always from `visible_to(user)`). `label_format` says how
    an option reads: "{code} {name}" (default), "{parent} {name}", "{name} ({code})"."""


class UnitMultipleChoiceField(UnitLabelMixin, forms.ModelMultipleChoiceField):
    """Several org units (or records with one), as UnitChoiceField."""


def unit_choices(user, *, allow_district=False):
    """Org units a user may record for: its creating unit; a district also its units (and itself)."""
    OrgUnit = org_unit_model()
    levels = Q(level__in=CREATING_LEVELS)
    if allow_district:
        levels |= Q(level=OrgUnit.Level.DISTRICT)
    return OrgUnit.objects.visible_to(user).filter(levels).order_by("code")


class OrgUnitFormMixin:
    """Give a ModelForm's `org_unit` field the units the user records for (`unit_choices`), fixed
    to its own for a unit worker. Call `setup_org_unit(user)` from `__init__`."""

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


def apply_service_errors(form, exc, fields=None) -> None:
    """Put a service's ValidationError on the form: on each field it names (`fields` maps a
    service's name to the form's where they differ), else on top."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = fields.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class CodeItemForm(forms.ModelForm):
    class Meta:
        model = CodeItem
        fields = ["code", "name", "name_en", "sort_order", "is_active"]

    def __init__(self, *args, user=None, codelist=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.codelist = codelist or getattr(self.instance, "codelist", None)
        if self.instance.pk and self.codelist and self.codelist.is_system:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Codes of system lists are referenced by data and cannot change.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        qs = CodeItem.objects.filter(codelist=self.codelist, code=code).exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(_("This code already exists in the list."))
        return code


class CodeListFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = CodeList
        fields = ["q"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(key__icontains=value) | Q(items__name__icontains=value)).distinct()
