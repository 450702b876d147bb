"""Forms parse input; the services decide. Choices are limited to the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.forms import DateInput, MultipleFileInput, UnitChoiceField, apply_service_errors
from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.core.scoping import within_q
from safecommunity.orgunits.models import Department, OrgUnit

from .choices import Grade, RegisterKind
from .models import GradeDeadline, RiskEntry
from .services import default_deadline, local_today

# Phone-friendly inputs: the camera opens for a photo; a plain textarea the phone's voice
# keyboard (语音输入) can fill, no autocorrection fighting the dictation.
CAMERA = {"accept": "image/*", "capture": "environment", "multiple": True}
VOICE_TEXT = {"rows": 4, "autocomplete": "off", "autocorrect": "off", "spellcheck": "false",
              "enterkeyhint": "done"}


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        value = single(data, initial)
        return [value] if value else []


def creating_units(user):
    qs = OrgUnit.objects.visible_to(user).filter(level__in=CREATING_LEVELS, is_active=True)
    return qs.select_related("parent").order_by("code")


UNIT_LABEL = "{parent} {name}"  # a unit as the hazard pages name it: 渝中区 解放碑街道


def safety_areas():
    return CodeItem.objects.of("safety_area").active()


class ServiceForm(forms.Form):
    """Errors the service raises (a ValidationError naming fields) land on those fields."""

    def __init__(self, *args, user=None, hazard=None, **kwargs):
        super().__init__(*args, **kwargs)

    def add_service_error(self, exc):
        apply_service_errors(self, exc)


class HazardReportForm(ServiceForm):
    org_unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), label_format=UNIT_LABEL)
    address = forms.CharField(label=pgettext_lazy("location", "Address"), max_length=200)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
                                  min_value=-90, max_value=90, help_text=_("Optional map point, e.g. 29.557"))
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
                                   min_value=-180, max_value=180, help_text=_("e.g. 106.577"))
    safety_area = forms.ModelChoiceField(label=_("Safety area"), queryset=CodeItem.objects.none())
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    finder = forms.CharField(label=_("Found by"), max_length=50)
    found_on = forms.DateField(label=_("Found on"), widget=DateInput())
    description = forms.CharField(label=_("Hazard description"), widget=forms.Textarea(attrs=VOICE_TEXT))
    photos = MultiplePhotoField(label=_("Photos"), help_text=_("Photos of the hazard (you may choose several)."),
                                widget=MultipleFileInput(attrs=CAMERA))
    # One per submission, made by the page (static/safecommunity/outbox.js): a form queued on a
    # phone without network and sent again is stored once.
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput(
        attrs={"data-idempotency-key": ""}))
    kept_photos = forms.CharField(widget=forms.HiddenInput, required=False)  # see core.uploads

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        self.fields["org_unit"].queryset = creating_units(user)
        self.fields["safety_area"].queryset = safety_areas()
        self.fields["found_on"].initial = local_today()
        self.fields["finder"].initial = str(user)
        if user.role == Role.UNIT:
            self.fields["org_unit"].initial = user.org_unit_id


class AssignForm(ServiceForm):
    responsible_unit = UnitChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none(), label_format=UNIT_LABEL)
    responsible_party = forms.CharField(label=_("Responsible party (enterprise)"), max_length=100, required=False)
    department = forms.ModelChoiceField(label=_("Supervising department"), queryset=Department.objects.all(),
                                        required=False)
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DateInput(),
                               help_text=_("Defaults to the grade's rectification period; editable."))
    note = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, hazard, **kwargs):
        super().__init__(*args, user=user, hazard=hazard, **kwargs)
        units = creating_units(user)
        district = hazard.org_unit.district
        if district:
            units = units.filter(within_q("", district))
        self.fields["responsible_unit"].queryset = units
        self.fields["responsible_unit"].initial = hazard.org_unit_id
        self.fields["deadline"].initial = default_deadline(hazard.grade)
        areas = list(hazard.safety_area.departments.values_list("pk", flat=True)) if hazard.safety_area_id else []
        if len(areas) == 1:
            self.fields["department"].initial = areas[0]


class NoteForm(ServiceForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(ServiceForm):
    note = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(ServiceForm):
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class SubmitForm(ServiceForm):
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea(attrs=VOICE_TEXT))
    cost = forms.DecimalField(label=_("Cost (yuan)"), max_digits=12, decimal_places=2, min_value=0, required=False)
    photos = MultiplePhotoField(label=_("Photos after rectification"),
                                help_text=_("At least one photo after rectification is needed."),
                                widget=MultipleFileInput(attrs=CAMERA))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DeadlineForm(ServiceForm):
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class SuperviseForm(ServiceForm):
    supervisor = forms.CharField(label=_("Supervisor"), max_length=50,
                                 help_text=_("The named city official who supervises rectification."))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RiskEntryForm(forms.ModelForm):
    org_unit = UnitChoiceField(label=_("Creating unit"), queryset=OrgUnit.objects.none(), label_format=UNIT_LABEL)

    class Meta:
        model = RiskEntry
        fields = ["org_unit", "name", "safety_area", "risk_level", "count", "address", "latitude", "longitude",
                  "department", "last_reviewed_on", "description", "measures"]
        widgets = {"last_reviewed_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3}),
                   "measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["org_unit"].queryset = creating_units(user)
        self.fields["safety_area"].queryset = safety_areas()
        if user.role == Role.UNIT and not self.instance.pk:
            self.fields["org_unit"].initial = user.org_unit_id
        if not self.instance.pk:
            self.fields["last_reviewed_on"].initial = local_today()
        if kind not in (RegisterKind.GROUP, RegisterKind.VULNERABLE):
            del self.fields["count"]
        if kind != RegisterKind.SOURCE:
            del self.fields["department"]
        if kind == RegisterKind.PLACE:
            self.fields["latitude"].required = self.fields["longitude"].required = True

    def _post_clean(self):
        pass  # the service runs full_clean()

    add_service_error = ServiceForm.add_service_error


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return f


class GradeDeadlineForm(forms.ModelForm):
    class Meta:
        model = GradeDeadline
        fields = ["days"]
