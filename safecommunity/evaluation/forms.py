from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.forms import DateInput, UnitChoiceField
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from .models import Designation, EvaluationPolicy, ExpertProfile, RewardRate, Scheme, SchemeItem

DATE = DateInput()


class UserKwargMixin:
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class SchemeForm(UserKwargMixin, forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["code", "name", "purpose", "description", "declared_total", "pass_total", "rectify_total",
                  "zero_item_fails",
                  "grade_a_pct", "grade_b_pct", "grade_c_pct", "grade_d_pct", "is_default", "is_active"]


class SchemeImportForm(forms.Form):
    file = forms.FileField(label=_("Scheme table (.xlsx, from the template)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class SchemeItemForm(UserKwargMixin, forms.ModelForm):
    class Meta:
        model = SchemeItem
        fields = ["number", "element", "heading", "text", "expected_evidence", "is_placeholder",
                  "presence_points", "evidence_points", "effect_points"]


class PolicyForm(UserKwargMixin, forms.ModelForm):
    class Meta:
        model = EvaluationPolicy
        fields = ["min_months_since_launch", "validity_years", "reminder_days", "disagreement_threshold",
                  "certificate_prefix"]


class RewardRateForm(UserKwargMixin, forms.ModelForm):
    class Meta:
        model = RewardRate
        fields = ["level", "amount"]


class ExpertProfileForm(UserKwargMixin, forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = ["user", "field", "affiliation", "home_district", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(role="expert", is_active=True)
        self.fields["home_district"].queryset = OrgUnit.objects.districts()


class StartForm(forms.Form):
    creating_unit = UnitChoiceField(label=_("Creating unit"), queryset=CreatingUnit.objects.none())
    scheme = forms.ModelChoiceField(label=_("Scoring scheme"), queryset=Scheme.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creating_unit"].queryset = CreatingUnit.objects.visible_to(user).select_related("org_unit")
        usable = [s.pk for s in Scheme.objects.filter(is_active=True).exclude(purpose="self_check")
                  .prefetch_related("items") if s.usable]
        self.fields["scheme"].queryset = Scheme.objects.filter(pk__in=usable)
        self.fields["scheme"].initial = Scheme.objects.filter(is_default=True, pk__in=usable).first()
        self.fields["scheme"].help_text = _("Only schemes whose items are complete and add up to their total are "
                                            "offered; the scheme page says why another cannot be chosen.")
        if user is not None and user.creating_unit is not None:
            self.fields["creating_unit"].initial = user.creating_unit.pk
            self.fields["creating_unit"].widget = forms.HiddenInput()


class OpenScoringForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Kept in the application's steps and the audit trail."))


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("Summary of the creation work"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)
    work_report = forms.FileField(label=_("Work report"), required=False,
                                  help_text=_("PDF or Word; filed in the archive under element E10."))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=pgettext_lazy("review", "Decision"), choices=[("forward", _("Forward to the city")),
                                                               ("return", _("Return with reasons"))])
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExpertChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        p = getattr(obj, "expert_profile", None)
        extra = f" · {p.field} · {p.affiliation} · {p.home_district or '—'}" if p else ""
        return f"{obj}{extra}"


class PanelForm(forms.Form):
    experts = ExpertChoiceField(label=_("Experts"), queryset=get_user_model().objects.none(),
                                widget=forms.CheckboxSelectMultiple)
    lead = forms.ModelChoiceField(label=_("Panel lead"), queryset=get_user_model().objects.none(), required=False)
    site_visit_on = forms.DateField(label=_("Site visit"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        pool = get_user_model().objects.filter(role="expert", is_active=True, expert_profile__is_active=True) \
            .select_related("expert_profile__home_district")
        self.fields["experts"].queryset = pool
        self.fields["lead"].queryset = pool


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    document = forms.FileField(label=_("Decision document"), required=False)


class RectificationDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class DesignationRecordForm(forms.Form):
    creating_unit = UnitChoiceField(label=_("Creating unit"), queryset=CreatingUnit.objects.none())
    level = forms.ChoiceField(label=_("Title level"), choices=[c for c in Designation.Level.choices if c[0] != "city"])
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE, required=False)
    outcome = forms.ChoiceField(label=pgettext_lazy("designation", "Outcome"), choices=Designation.Outcome.choices)
    designated_on = forms.DateField(label=_("Designated on"), widget=DATE, required=False)
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=40, required=False)
    document = forms.FileField(label=_("Outcome document"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creating_unit"].queryset = CreatingUnit.objects.visible_to(user).select_related("org_unit") \
            .filter(status__in=["city", "national", "international"])


class FundForm(forms.Form):
    creating_unit = UnitChoiceField(label=_("Creating unit"), queryset=CreatingUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    budget = forms.DecimalField(label=_("Budget (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creating_unit"].queryset = CreatingUnit.objects.visible_to(user).select_related("org_unit")
        if user is not None and user.creating_unit is not None:
            self.fields["creating_unit"].initial = user.creating_unit.pk
            self.fields["creating_unit"].widget = forms.HiddenInput()


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DATE)
    item = forms.CharField(label=_("Spending item"), max_length=100)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    vouchers = forms.FileField(label=_("Vouchers"), required=False, widget=MultiFileInput)


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
