"""Forms parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.forms import MultipleFileInput, UnitChoiceField, apply_service_errors
from safecommunity.hazards.choices import Grade
from safecommunity.hazards.forms import (
    CAMERA,
    UNIT_LABEL,
    VOICE_TEXT,
    MultiplePhotoField,
    creating_units,
    safety_areas,
)
from safecommunity.orgunits.models import OrgUnit

from .models import PatrolPoint


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PointForm(forms.ModelForm):
    org_unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), label_format=UNIT_LABEL)

    class Meta:
        model = PatrolPoint
        fields = ["org_unit", "name", "place", "latitude", "longitude", "every_days", "window_start", "window_end",
                  "max_distance_m", "checklist", "is_active"]
        widgets = {"window_start": TimeInput(), "window_end": TimeInput(),
                   "checklist": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = creating_units(user)
        if user.role == "unit" and not self.instance.pk:
            self.fields["org_unit"].initial = user.org_unit_id

    def _post_clean(self):  # the service validates (full_clean), naming the fields
        pass

    def add_service_error(self, exc):
        apply_service_errors(self, exc)


OK_CHOICES = [("ok", _("Normal")), ("problem", pgettext_lazy("patrol answer", "Problem"))]


class PatrolForm(forms.Form):
    """The checklist of one point: an answer per item, then what was found."""

    note = forms.CharField(label=_("What was found"), required=False, widget=forms.Textarea(attrs=VOICE_TEXT))
    report_hazard = forms.BooleanField(label=_("Report what was found as a hazard"), required=False)
    safety_area = forms.ModelChoiceField(label=_("Safety area"), queryset=safety_areas(), required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, initial=Grade.GENERAL)
    photos = MultiplePhotoField(label=_("Photos"), widget=MultipleFileInput(attrs=CAMERA))
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput(attrs={"data-lat": ""}))
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput(attrs={"data-lng": ""}))
    idempotency_key = forms.CharField(required=False, max_length=64,
                                      widget=forms.HiddenInput(attrs={"data-idempotency-key": ""}))

    def __init__(self, *args, point: PatrolPoint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["safety_area"].queryset = safety_areas()
        self.items = point.items
        answers = {}
        for i, item in enumerate(self.items):
            answers[f"item_{i}"] = forms.ChoiceField(label=item, choices=OK_CHOICES, initial="ok",
                                                     widget=forms.RadioSelect(attrs={"class": "sc-answer"}))
        self.fields = {**answers, **self.fields}

    def answers(self) -> list[dict]:
        return [{"item": item, "ok": self.cleaned_data.get(f"item_{i}") == "ok"} for i, item in enumerate(self.items)]

    def add_service_error(self, exc):
        apply_service_errors(self, exc)
