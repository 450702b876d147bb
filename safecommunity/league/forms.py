from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import INDICATORS, Weights


class WeightsForm(forms.ModelForm):
    class Meta:
        model = Weights
        fields = list(INDICATORS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if all(not data.get(k) for k in INDICATORS if k in data) and not self.errors:
            raise ValidationError(_("Give at least one indicator a weight."))
        return data
