from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.core.forms import (
    DateInput,
    OrgUnitFormMixin,
    UnitChoiceField,
    UnitMultipleChoiceField,
    unit_choices,
)
from safecommunity.core.roles import Role
from safecommunity.evaluation.models import Scheme
from safecommunity.orgunits.models import OrgUnit

from .models import Finding, InspectionPlan, YearEndReview

TEXT = forms.Textarea(attrs={"rows": 3})
UNIT_LABEL = "{name} ({code})"


class PlanForm(forms.ModelForm):
    units = UnitMultipleChoiceField(label=_("Units to inspect"), queryset=OrgUnit.objects.none(), label_format=UNIT_LABEL,
                                    required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    custom_items = forms.CharField(label=_("Custom checklist"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text=_("One item a line; used when no scoring scheme is chosen."))

    class Meta:
        model = InspectionPlan
        fields = ["org_unit", "title", "starts_on", "ends_on", "scheme", "notes"]
        widgets = {"notes": TEXT, "starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit"]
        field.queryset = OrgUnit.objects.visible_to(user).filter(level__in=[OrgUnit.Level.CITY,
                                                                            OrgUnit.Level.DISTRICT])
        if user is not None and user.role == Role.DISTRICT:
            field.initial = user.org_unit_id
            field.disabled = True
            if not self.instance.pk:
                self.instance.org_unit_id = user.org_unit_id
        elif user is not None:
            field.initial = user.org_unit_id
        self.fields["scheme"].queryset = Scheme.objects.all()
        self.fields["units"].queryset = unit_choices(user)
        if self.instance.pk:
            del self.fields["custom_items"]
            del self.fields["scheme"]


class InspectionAddForm(forms.Form):
    org_unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), label_format=UNIT_LABEL)
    scheduled_on = forms.DateField(label=_("Scheduled on"), widget=DateInput())
    inspector = forms.CharField(label=_("Inspectors"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = unit_choices(user)


class RecordHeaderForm(forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput())
    inspector = forms.CharField(label=_("Inspectors"), max_length=200)
    summary = forms.CharField(label=_("Overall opinion"), required=False, widget=TEXT)


RESULT_CHOICES = Finding.Result.choices


class CloseForm(forms.Form):
    result = forms.CharField(label=_("What was done"), widget=TEXT)
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), required=False)


class ReviewForm(OrgUnitFormMixin, forms.ModelForm):
    follow_up_due_on = forms.DateField(
        label=_("Track the problems as follow-up items due on"), required=False, widget=DateInput(),
        help_text=_("Each line of the problems becomes a follow-up item of the unit."))

    class Meta:
        model = YearEndReview
        fields = ["org_unit", "year", "held_on", "chair", "attendees", "review", "problems", "next_targets",
                  "measures"]
        widgets = {"held_on": DateInput(), "attendees": TEXT, "review": forms.Textarea(attrs={"rows": 5}),
                   "problems": forms.Textarea(attrs={"rows": 4}), "next_targets": forms.Textarea(attrs={"rows": 4}),
                   "measures": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_org_unit(user)
