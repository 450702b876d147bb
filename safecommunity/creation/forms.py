"""Forms parse input; the services decide. Each form receives `user` and offers only what is in scope."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.forms import DateInput, UnitMultipleChoiceField
from safecommunity.orgunits.models import CreatingUnit, Department, OrgUnit

from . import permissions
from .choices import DistrictCategory, LetterLevel
from .models import JointMeetingMember, PlanYear
from .selectors import launchable_units

DATE = DateInput()


class UserFormMixin:
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


def districts_for(user):
    return OrgUnit.objects.visible_to(user).districts().filter(is_active=True)


class LaunchForm(UserFormMixin, forms.Form):
    units = UnitMultipleChoiceField(label=_("Units to launch"), label_format="{name}（{code}）", queryset=CreatingUnit.objects.none(),
                            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                            error_messages={"required": _("Choose at least one unit to launch."),
                                            "invalid_choice": _("A chosen unit cannot be launched by you."),
                                            "invalid_pk_value": _("A chosen unit cannot be launched by you.")})
    launched_on = forms.DateField(label=_("Launch date"), widget=DATE)
    plan_file = forms.FileField(label=_("Implementation plan"),
                                help_text=_("The implementation plan (实施方案) approved for these units."))
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = launchable_units(self.user)
        if district is not None:
            qs = qs.filter(org_unit__parent=district)
        self.fields["units"].queryset = qs
        self.fields["launched_on"].initial = timezone.localdate()


class TransitionForm(UserFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    effective_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    reason = forms.CharField(label=_("Reason / decision"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    document = forms.FileField(label=_("Decision document"), required=False)
    valid_until = forms.DateField(label=_("Title valid until"), widget=DATE, required=False,
                                  help_text=_("For a designation; empty: 3 years (Chongqing) or 5 years."))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any status is accepted so that the service answers an illegal move with its own clear
        # message; the select offers only the moves this user may make now.
        self.fields["to"].choices = CreatingUnit.Status.choices
        self.fields["to"].widget.choices = [(t, CreatingUnit.Status(t).label) for t in targets]
        self.fields["effective_on"].initial = timezone.localdate()


class EnterpriseUnitForm(UserFormMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("District/county"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=[(CreatingUnit.Kind.ENTERPRISE, CreatingUnit.Kind.ENTERPRISE.label),
                                                       (CreatingUnit.Kind.PARK, CreatingUnit.Kind.PARK.label)])
    name = forms.CharField(label=_("Name"), max_length=100)
    workforce = forms.IntegerField(label=_("Workforce"), min_value=1, max_value=10_000_000)
    population = forms.IntegerField(label=_("Resident population"), min_value=0, max_value=10_000_000, required=False)
    address = forms.CharField(label=pgettext_lazy("unit", "Address"), max_length=200, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts_for(self.user)
        if permissions.launch(self.user) and self.user.district:  # a district office: its own
            self.fields["district"].initial = self.user.district.pk


class PlanTargetsForm(forms.ModelForm):
    class Meta:
        model = PlanYear
        fields = ["targets_cumulative", "target_launched", "target_city", "target_national", "target_international",
                  "target_international_max", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class PlanYearOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].help_text = _(
            "Targets start from the notice's figures (2010, 2012) or the latest earlier plan, and can be edited."
        )


class DistrictPlanForm(UserFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=DistrictCategory.choices)
    percentage = forms.DecimalField(label=_("Percentage of townships to launch"), min_value=Decimal("0"),
                                    max_value=Decimal("100"), max_digits=5, decimal_places=2)


class LetterForm(UserFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Level"), choices=LetterLevel.choices)
    org_unit = forms.ModelChoiceField(label=_("Signing unit"), queryset=OrgUnit.objects.none(), to_field_name="code",
                                      help_text=_("A district (city–district letters) or a creating unit."))
    target_launched = forms.IntegerField(label=_("Target: units launched"), min_value=0, required=False)
    target_designated = forms.IntegerField(label=_("Target: units designated"), min_value=0, required=False)
    targets = forms.CharField(label=_("Targets and duties"), widget=forms.Textarea(attrs={"rows": 4}))
    upper_signatory = forms.CharField(label=_("Signatory (issuing side)"), max_length=50)
    lower_signatory = forms.CharField(label=_("Signatory (receiving side)"), max_length=50)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    document = forms.FileField(label=_("Scanned letter"), required=False)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        user = self.user
        if permissions.letter_any_level(user):
            qs = OrgUnit.objects.filter(level__in=[OrgUnit.Level.DISTRICT, *CREATING_LEVELS])
        else:
            qs = OrgUnit.objects.visible_to(user).filter(level__in=CREATING_LEVELS)
            self.fields["level"].choices = [(LetterLevel.DISTRICT_UNIT, LetterLevel.DISTRICT_UNIT.label)]
        self.fields["org_unit"].queryset = qs.order_by("code")
        self.fields["year"].initial = timezone.localdate().year
        if instance is not None:
            for name in ("year", "level", "org_unit"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.initial.update({f: getattr(instance, f) for f in (
                "year", "level", "target_launched", "target_designated", "targets", "upper_signatory",
                "lower_signatory", "signed_on")})
            self.initial["org_unit"] = instance.org_unit.code


class AssessmentForm(UserFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(label=_("District/county"), queryset=OrgUnit.objects.none())
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=5, decimal_places=1)
    remarks = forms.CharField(label=_("Remarks"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    target_launched = forms.IntegerField(label=_("Target: units launched"), min_value=0, required=False,
                                         help_text=_("Empty: the letter's target, else the plan's quota."))
    target_designated = forms.IntegerField(label=_("Target: units designated"), min_value=0, required=False,
                                           help_text=_("Empty: the letter's target."))

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts_for(self.user)
        self.fields["year"].initial = timezone.localdate().year
        if instance is not None:
            for name in ("year", "district"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.initial.update({"year": instance.year, "district": instance.org_unit_id, "score": instance.score,
                                 "remarks": instance.remarks, "target_launched": instance.target_launched,
                                 "target_designated": instance.target_designated})


def meeting_owner_units(user):
    """The city (city office) or the user's district: the levels that run joint meetings."""
    if permissions.meetings_city(user):
        return OrgUnit.objects.filter(level__in=[OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT]).order_by("code")
    return OrgUnit.objects.filter(pk=user.org_unit_id, level=OrgUnit.Level.DISTRICT)


class MemberForm(UserFormMixin, forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Meeting of"), queryset=OrgUnit.objects.none())
    department = forms.ModelChoiceField(label=_("Municipal department"), queryset=Department.objects.all(),
                                        required=False)
    name = forms.CharField(label=_("Member unit"), max_length=100, required=False,
                           help_text=_("Empty: the department's name."))
    is_lead = forms.BooleanField(label=_("Lead unit"), required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = meeting_owner_units(self.user)
        self.fields["org_unit"].initial = self.user.org_unit_id
        if instance is not None:
            self.fields["org_unit"].disabled = True
            self.fields["org_unit"].required = False
            self.initial.update({"org_unit": instance.org_unit_id, "department": instance.department_id,
                                 "name": instance.name, "is_lead": instance.is_lead,
                                 "contact_person": instance.contact_person, "contact_phone": instance.contact_phone,
                                 "is_active": instance.is_active})


class MeetingForm(UserFormMixin, forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Meeting of"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    chair = forms.CharField(label=_("Chaired by"), max_length=50, required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("Member units attending"),
                                               queryset=JointMeetingMember.objects.none(),
                                               widget=forms.CheckboxSelectMultiple, required=False)
    other_attendees = forms.CharField(label=_("Other attendees"), widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False)
    summary = forms.CharField(label=pgettext_lazy("meeting", "Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decisions = forms.CharField(label=_("Decisions (one per line)"), widget=forms.Textarea(attrs={"rows": 4}),
                                required=False)
    minutes_file = forms.FileField(label=_("Minutes"), required=False)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        owners = meeting_owner_units(self.user)
        self.fields["org_unit"].queryset = owners
        self.fields["org_unit"].initial = self.user.org_unit_id
        self.fields["attendees"].queryset = JointMeetingMember.objects.visible_to(self.user).filter(
            org_unit__in=owners, is_active=True).select_related("org_unit")
        if instance is not None:
            self.fields["org_unit"].disabled = True
            self.fields["org_unit"].required = False
            self.fields["attendees"].queryset = self.fields["attendees"].queryset.filter(org_unit=instance.org_unit)
            self.initial.update({
                "org_unit": instance.org_unit_id, "title": instance.title, "held_on": instance.held_on,
                "location": instance.location, "chair": instance.chair,
                "attendees": list(instance.attendees.values_list("pk", flat=True)),
                "other_attendees": instance.other_attendees, "summary": instance.summary,
                "decisions": "\n".join(d.text for d in instance.decisions.all()),
            })

    def clean_decisions(self):
        return [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]


class FollowUpForm(UserFormMixin, forms.Form):
    decision = forms.ModelChoiceField(label=pgettext_lazy("meeting", "Decision"), queryset=None)
    task = forms.CharField(label=_("Task"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    owner_text = forms.CharField(label=_("Owner (other)"), max_length=100, required=False)
    due_on = forms.DateField(label=pgettext_lazy("follow-up", "Due on"), widget=DATE)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.all()
        self.fields["owner"].queryset = JointMeetingMember.objects.filter(org_unit=meeting.org_unit, is_active=True)


class FollowUpDoneForm(UserFormMixin, forms.Form):
    result = forms.CharField(label=pgettext_lazy("follow-up", "What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    done_on = forms.DateField(label=_("Done on"), widget=DATE, required=False)
