from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CreatingUnit, OrgUnit


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class CreatingUnitForm(forms.ModelForm):
    class Meta:
        model = CreatingUnit
        fields = ["population", "workforce", "address", "contact_person", "contact_phone"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.instance.kind == CreatingUnit.Kind.TOWNSHIP and data.get("population") in (None, ""):
            pass  # optional: rates say "population missing" instead of dividing by zero
        for field in ("population", "workforce"):
            value = data.get(field)
            if value is not None and value > 10_000_000:
                self.add_error(field, _("This number is larger than any township; check it."))
        return data


class OrgUnitCreateForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[
        (OrgUnit.Level.TOWNSHIP, OrgUnit.Level.TOWNSHIP.label), (OrgUnit.Level.DISTRICT, OrgUnit.Level.DISTRICT.label)])
    parent_code = forms.CharField(label=_("Parent code"), max_length=20, help_text=_("e.g. 500103 for a new street of 渝中区"))
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    division_type = forms.ChoiceField(label=_("Division type"), choices=OrgUnit.DivisionType.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
