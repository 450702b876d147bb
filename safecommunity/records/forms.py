"""The evidence form of a record (one or more files and what they are)."""

from django import forms
from django.utils.translation import gettext_lazy

from safecommunity.core.forms import MultipleFileInput

from .services import EVIDENCE_ROLES


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
