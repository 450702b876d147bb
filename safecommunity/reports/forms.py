from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.forms import DateInput
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import OrgUnit

from .models import InformationOfficer
from .periods import previous_months


def period_choices(n: int = 24):
    return [(p.strftime("%Y-%m"), p.strftime("%Y-%m")) for p in previous_months(n)]


class ReportCreateForm(forms.Form):
    period = forms.ChoiceField(label=_("Month"), choices=())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()


class ReportEditForm(forms.Form):
    is_nil = forms.BooleanField(label=_("Nil report (nothing to report this month)"), required=False)
    work_done = forms.CharField(label=_("Work done this month"), widget=forms.Textarea(attrs={"rows": 4}),
                                required=False)
    problems = forms.CharField(label=pgettext_lazy("monthly report", "Problems"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_plans = forms.CharField(label=_("Plans for next month"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    signed_by = forms.ModelChoiceField(label=_("Signed by (information officer)"),
                                       queryset=InformationOfficer.objects.none(), required=False)

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_by"].queryset = InformationOfficer.objects.filter(org_unit=report.org_unit,
                                                                              is_active=True)


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Note (required when the figures do not match the records)"),
                           widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)

    def __init__(self, *args, comment_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.comment_fields = list(comment_fields)
        for name, label in self.comment_fields:
            self.fields[f"c_{name}"] = forms.CharField(label=label, required=False)

    def comments(self) -> dict:
        return {name: self.cleaned_data.get(f"c_{name}", "") for name, _label in self.comment_fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("justification", "Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class UnlockDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(label=_("Decision"), choices=[("1", _("Grant")), ("0", _("Refuse"))],
                                   coerce=lambda v: v == "1")
    note = forms.CharField(label=_("Note (required when refusing)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=())
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, comment_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("The whole report"))] + list(comment_fields)
        self.fields["field"].required = False


class InformationOfficerForm(forms.ModelForm):
    class Meta:
        model = InformationOfficer
        fields = ["org_unit", "name", "phone", "position", "user", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user)
        if user.role == Role.UNIT and not user.is_superuser:
            units = units.filter(pk=user.org_unit_id)
        else:
            units = units.filter(level__in=[OrgUnit.Level.DISTRICT, *CREATING_LEVELS])
        self.fields["org_unit"].queryset = units.order_by("code")
        from safecommunity.accounts.models import User

        self.fields["user"].queryset = User.objects.visible_to(user).filter(role__in=[Role.UNIT, Role.DISTRICT])
        if user.role == Role.UNIT and not user.is_superuser:
            self.fields["user"].queryset = User.objects.filter(org_unit_id=user.org_unit_id)
        self.fields["user"].required = False

    def clean(self):
        data = super().clean()
        org_unit, account = data.get("org_unit"), data.get("user")
        if account is not None and org_unit is not None and account.org_unit_id != org_unit.pk:
            self.add_error("user", _("The account must belong to the same unit as the officer."))
        return data


class ReportDeadlineForm(forms.Form):
    period = forms.DateField(label=_("Month"), help_text=_("Any day of the month, e.g. 2026-03-01."),
                             widget=DateInput())
    due_on = forms.DateField(label=pgettext_lazy("report", "Due on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_period(self):
        return self.cleaned_data["period"].replace(day=1)
