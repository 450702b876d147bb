import django_filters
from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.core.filters import YearFilter
from safecommunity.core.forms import DateInput, unit_choices
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import OrgUnit

from . import choices
from .models import ImportBatch, InjuryRecord, NilReport, Population, ReportingSource


def _codes(key):
    return CodeItem.objects.of(key).active().order_by("sort_order")


class UnitFieldMixin:
    def setup_unit(self, user, field="org_unit"):
        self.user = user
        units = unit_choices(user)
        self.fields[field].queryset = units
        if user.role == "unit":
            self.fields[field].initial = user.org_unit_id
            self.fields[field].widget = forms.HiddenInput()


class InjuryRecordForm(UnitFieldMixin, forms.ModelForm):
    name = forms.CharField(label=_("Name of the injured"), max_length=50, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    class Meta:
        model = InjuryRecord
        fields = ["org_unit", "place_detail", "occurred_on", "occurred_time", "age", "sex", "safety_area", "place",
                  "activity", "mechanism", "intent", "nature", "body_part", "severity", "outcome", "source"]
        widgets = {
            "occurred_on": DateInput(),
            "occurred_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit(user)
        for name, key in (("safety_area", choices.SAFETY_AREA), ("place", choices.PLACE), ("activity", choices.ACTIVITY),
                          ("mechanism", choices.MECHANISM), ("intent", choices.INTENT), ("nature", choices.NATURE),
                          ("body_part", choices.BODY_PART), ("severity", choices.SEVERITY),
                          ("outcome", choices.OUTCOME)):
            self.fields[name].queryset = _codes(key)
        self.fields["source"].queryset = ReportingSource.objects.visible_to(user).filter(
            is_active=True, org_unit__in=self.fields["org_unit"].queryset).select_related("org_unit")
        if user.role != "unit":
            self.fields["source"].label_from_instance = lambda s: f"{s.org_unit} · {s.name}"
        if not self.instance.pk and not self.is_bound:
            # Defaults for speed of entry: today, unintentional.
            self.initial.setdefault("occurred_on", None)
            self.initial["occurred_on"] = self.initial["occurred_on"] or timezone.localdate()
            self.initial["intent"] = self.fields["intent"].queryset.filter(code="unintentional").values_list(
                "pk", flat=True).first()
            if user.role == "unit":
                self.initial["org_unit"] = user.org_unit_id
        self.fields["age"].widget.attrs.update({"min": 0, "max": choices.MAX_AGE})
        if self.instance.pk and self.instance.has_personal:
            for f in ("name", "id_number", "phone"):
                self.fields[f].help_text = _("Leave empty to keep the stored value.")
                # The recording unit may see and correct the values; nobody else gets here.
            clear = self.instance.personal_clear()
            for f in ("name", "id_number", "phone"):
                self.initial[f] = clear[f]

    def _post_clean(self):
        # Model validation runs in services.record_save (it also applies the surveillance rules).
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class ReportingSourceForm(UnitFieldMixin, forms.ModelForm):
    class Meta:
        model = ReportingSource
        fields = ["org_unit", "name", "kind", "contact", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit(user)
        self.fields["kind"].queryset = _codes(choices.SOURCE_KIND)

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class NilReportForm(UnitFieldMixin, forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Creating unit"), queryset=OrgUnit.objects.none())
    safety_area = forms.ModelChoiceField(label=_("Safety area"), queryset=_codes(choices.SAFETY_AREA))
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit(user)
        self.fields["safety_area"].queryset = _codes(choices.SAFETY_AREA)


class PopulationForm(UnitFieldMixin, forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    workforce = forms.IntegerField(label=_("Workforce"), min_value=0, required=False,
                                   help_text=_("Enterprise and park units: rates use the workforce."))

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit(user)
        self.cells = []
        existing = {}
        if instance is not None:
            existing = {(c.sex, c.age_band): c.count for c in instance.counts.all()}
            self.fields["org_unit"].initial = instance.org_unit_id
            self.fields["year"].initial = instance.year
            self.fields["workforce"].initial = instance.workforce
        else:
            self.fields["year"].initial = timezone.localdate().year
        for sex, sex_label in (("M", _("Male")), ("F", _("Female"))):
            for band in choices.AGE_BAND_CODES:
                name = f"c_{sex}_{band.replace('-', '_').replace('+', 'plus')}"
                self.fields[name] = forms.IntegerField(
                    label=f"{sex_label} {choices.age_band_label(band)}", min_value=0, required=False,
                    initial=existing.get((sex, band)))
                self.cells.append((name, sex, band))

    def counts(self):
        return {(sex, band): self.cleaned_data.get(name) or 0 for name, sex, band in self.cells}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    duplicates = forms.ChoiceField(
        label=_("Duplicates"), initial="skip", widget=forms.RadioSelect, required=False,
        choices=[("skip", _("Skip them (same person, date of injury and cause as another row or a stored record)")),
                 ("keep", _("Import them too"))],
        help_text=_("Either way the import result lists them."))


class EffectForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=OrgUnit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    safety_area = forms.ModelChoiceField(label=_("Safety area"), queryset=CodeItem.objects.none(), required=False)
    mechanism = forms.ModelChoiceField(label=_("Mechanism (cause)"), queryset=CodeItem.objects.none(), required=False)
    before_start = forms.DateField(label=_("Before: from"), widget=DateInput())
    before_end = forms.DateField(label=_("Before: to"), widget=DateInput())
    after_start = forms.DateField(label=_("After: from"), widget=DateInput())
    after_end = forms.DateField(label=_("After: to"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_choices(user)
        self.fields["safety_area"].queryset = _codes(choices.SAFETY_AREA)
        self.fields["mechanism"].queryset = _codes(choices.MECHANISM)
        if user.role == "unit":
            self.fields["units"].initial = [user.org_unit_id]

    def clean(self):
        data = super().clean()
        for part in ("before", "after"):
            s, e = data.get(f"{part}_start"), data.get(f"{part}_end")
            if s and e and e < s:
                self.add_error(f"{part}_end", _("The end lies before the start."))
        bs, be, as_, ae = (data.get(k) for k in ("before_start", "before_end", "after_start", "after_end"))
        if all((bs, be, as_, ae)) and not (be < as_ or ae < bs):
            self.add_error("after_start", _("The before and after periods overlap."))
        if ae and ae > timezone.localdate():
            self.add_error("after_end", _("The after period must have ended (it lies in the future)."))
        return data


# --- search forms ------------------------------------------------------------------------------

class _ScopedFilterSet(django_filters.FilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)


class InjuryRecordFilterSet(_ScopedFilterSet):
    unit = django_filters.CharFilter(label=_("Unit code"), method="filter_unit")
    date_from = django_filters.DateFilter(label=_("From"), field_name="occurred_on", lookup_expr="gte",
                                          widget=DateInput())
    date_to = django_filters.DateFilter(label=_("To"), field_name="occurred_on", lookup_expr="lte",
                                        widget=DateInput())
    safety_area = django_filters.ModelChoiceFilter(label=_("Safety area"), queryset=_codes(choices.SAFETY_AREA))
    mechanism = django_filters.ModelChoiceFilter(label=_("Mechanism (cause)"), queryset=_codes(choices.MECHANISM))
    severity = django_filters.ModelChoiceFilter(label=_("Severity"), queryset=_codes(choices.SEVERITY))
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=choices.Sex.choices)

    class Meta:
        model = InjuryRecord
        fields = []

    def filter_unit(self, qs, name, value):
        unit = OrgUnit.objects.filter(code=value.strip()).first()
        return qs.under(unit.path) if unit else qs.none()


class SourceFilterSet(_ScopedFilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    kind = django_filters.ModelChoiceFilter(label=_("Kind"), queryset=_codes(choices.SOURCE_KIND))

    class Meta:
        model = ReportingSource
        fields = []


class NilReportFilterSet(_ScopedFilterSet):
    safety_area = django_filters.ModelChoiceFilter(label=_("Safety area"), queryset=_codes(choices.SAFETY_AREA))
    year = YearFilter(label=_("Year"), field_name="month", lookup_expr="year")

    class Meta:
        model = NilReport
        fields = []


class PopulationFilterSet(_ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.CharFilter(label=_("Unit code"), method="filter_unit")

    class Meta:
        model = Population
        fields = []

    def filter_unit(self, qs, name, value):
        unit = OrgUnit.objects.filter(code=value.strip()).first()
        return qs.under(unit.path) if unit else qs.none()


class ImportBatchFilterSet(_ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ImportBatch.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ImportBatch.Kind.choices)

    class Meta:
        model = ImportBatch
        fields = []
