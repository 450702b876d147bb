from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.core.forms import DateInput, OrgUnitFormMixin
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import Department

from .models import Indicator, PhaseEvaluation, Project


class ProjectForm(OrgUnitFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = ["org_unit", "name", "safety_area", "target_group", "target_age_min", "target_age_max",
                  "problem", "objective", "measures",
                  "responsible_department", "responsible_person", "supporting_departments", "budget",
                  "start_on", "end_on"]
        widgets = {"start_on": DateInput(), "end_on": DateInput(),
                   "problem": forms.Textarea(attrs={"rows": 3}), "objective": forms.Textarea(attrs={"rows": 2}),
                   "measures": forms.Textarea(attrs={"rows": 4}),
                   "supporting_departments": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_org_unit(user)
        self.fields["safety_area"].queryset = CodeItem.objects.of("safety_area").active()
        self.fields["responsible_department"].queryset = Department.objects.all()
        self.fields["supporting_departments"].queryset = Department.objects.all()
        self.fields["supporting_departments"].help_text = _("Hold Ctrl (⌘ on a Mac) to choose several.")

    def clean(self):
        data = super().clean()
        lead = data.get("responsible_department")
        if lead and lead in (data.get("supporting_departments") or []):
            self.add_error("supporting_departments", _("The responsible department is already leading the project."))
        low, high = data.get("target_age_min"), data.get("target_age_max")
        for field in ("target_age_min", "target_age_max"):
            if data.get(field) is not None and data[field] > 120:
                self.add_error(field, _("An age cannot be over 120."))
        if (low is None) != (high is None):
            self.add_error("target_age_max" if high is None else "target_age_min",
                           _("Give both ages of the target group, or neither."))
        elif low is not None and high is not None and low > high:
            self.add_error("target_age_max", _("The upper age is below the lower age."))
        return data


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "survey_measure"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class EvaluationForm(forms.ModelForm):
    """Half-yearly evaluation; one decimal field per indicator of the project (value_<id>)."""

    class Meta:
        model = PhaseEvaluation
        fields = ["year", "half", "evaluated_on", "progress", "problems", "corrective_actions", "conclusion"]
        widgets = {"evaluated_on": DateInput(), "progress": forms.Textarea(attrs={"rows": 5}),
                   "problems": forms.Textarea(attrs={"rows": 3}),
                   "corrective_actions": forms.Textarea(attrs={"rows": 3}),
                   "conclusion": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project or self.instance.project
        self.fields["year"].min_value = 2000
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        if not self.instance.pk and self.project.measure_lines:
            self.initial.setdefault("progress", "\n".join(f"{m}：" for m in self.project.measure_lines))
        existing = {}
        if self.instance.pk:
            existing = {v.indicator_id: v.value for v in self.instance.values.all()}
        for ind in self.project.indicators.all():
            label = _("%(name)s (baseline %(baseline)s, target %(target)s %(unit)s)") % {
                "name": ind.name, "baseline": ind.baseline, "target": ind.target, "unit": ind.unit}
            self.fields[f"value_{ind.pk}"] = forms.DecimalField(label=label, required=False, max_digits=14,
                                                                decimal_places=2, initial=existing.get(ind.pk))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def indicator_values(self) -> dict[int, object]:
        return {int(name.split("_", 1)[1]): value for name, value in self.cleaned_data.items()
                if name.startswith("value_")}


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Project.Status.choices)
    note = forms.CharField(required=False, max_length=500)
