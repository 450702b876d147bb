from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import MAX_MINIMUM


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def year_or_current(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class RuleSettingForm(forms.Form):
    minimum = forms.IntegerField(label=_("Minimum"), min_value=0, max_value=MAX_MINIMUM)
    is_active = forms.BooleanField(label=_("Counted on the scorecard"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
