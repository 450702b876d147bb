import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import CodeItem, CodeList


def apply_service_errors(form, exc) -> None:
    """Put a service's ValidationError on the form: on each field it names, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
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
