from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.core.forms import DateInput, UnitChoiceField
from safecommunity.core.models import CodeItem
from safecommunity.orgunits.models import CreatingUnit


def unit_choices(user):
    return CreatingUnit.objects.visible_to(user).select_related("org_unit")


class FileDocumentForm(forms.Form):
    creating_unit = UnitChoiceField(label=_("Creating unit"), queryset=CreatingUnit.objects.none())
    element = forms.ModelChoiceField(label=_("AQ/T 9001 element"), queryset=CodeItem.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    document_date = forms.DateField(label=_("Document date"), required=False,
                                    widget=DateInput())
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_choices(user)
        self.fields["creating_unit"].queryset = units
        self.fields["element"].queryset = CodeItem.objects.of("aqt_element").active()
        if user is not None and user.role == "unit" and user.creating_unit is not None:
            self.fields["creating_unit"].initial = user.creating_unit.pk
            self.fields["creating_unit"].widget = forms.HiddenInput()


class AttachmentEditForm(forms.Form):
    element = forms.ModelChoiceField(label=_("AQ/T 9001 element"), queryset=CodeItem.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    document_date = forms.DateField(label=_("Document date"), required=False,
                                    widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].queryset = CodeItem.objects.of("aqt_element").active()
