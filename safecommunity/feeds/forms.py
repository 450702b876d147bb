import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import CodeItem
from safecommunity.injuries.models import ReportingSource
from safecommunity.orgunits.models import OrgUnit

from . import card
from .models import CODELIST_OF_FIELD, FeedCase, FeedToken, FeedUpload, Field, ValueMapping


class _FilterSet(django_filters.FilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.user = getattr(request, "user", None)


class UploadFilterSet(_FilterSet):
    file_name = django_filters.CharFilter(label=_("File name"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FeedUpload.Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=FeedUpload.Channel.choices)

    class Meta:
        model = FeedUpload
        fields = []


class CaseFilterSet(_FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FeedCase.Status.choices)
    card_number = django_filters.CharFilter(label=_("Card number"), lookup_expr="icontains")
    address = django_filters.CharFilter(label=pgettext_lazy("person", "Address"), lookup_expr="icontains")

    class Meta:
        model = FeedCase
        fields = []


class ValueMappingFilterSet(_FilterSet):
    field = django_filters.ChoiceFilter(label=_("Card field"), choices=Field.choices)
    value = django_filters.CharFilter(label=_("Value on the card"), lookup_expr="icontains")

    class Meta:
        model = ValueMapping
        fields = []


class TokenFilterSet(_FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")

    class Meta:
        model = FeedToken
        fields = []


def sources_for(user):
    return ReportingSource.objects.visible_to(user).filter(is_active=True).select_related("org_unit")


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Reporting source (hospital)"), queryset=ReportingSource.objects.none())
    file = forms.FileField(label=_("Hospital export (.xlsx, .xls or .csv)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources_for(user)


class ColumnMapForm(forms.Form):
    def __init__(self, *args, headers=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        options = [("", "—")] + [(h, h) for h in headers if h]
        for col in card.COLUMNS:
            self.fields[col.key] = forms.ChoiceField(
                label=col.label, choices=options, required=False, initial=current.get(col.key, ""),
                help_text=_("Required") if col.key in card.REQUIRED_KEYS else "")


class ValueMappingForm(forms.ModelForm):
    class Meta:
        model = ValueMapping
        fields = ["field", "value", "item"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = CodeItem.objects.filter(
            codelist__key__in=list(CODELIST_OF_FIELD.values()), is_active=True).select_related("codelist").order_by(
            "codelist__key", "sort_order")
        self.fields["item"].label_from_instance = lambda i: f"{i.codelist.name}：{i.name}"

    def clean(self):
        data = super().clean()
        field, item = data.get("field"), data.get("item")
        if field and item and item.codelist.key != CODELIST_OF_FIELD[field]:
            self.add_error("item", _("Choose an item of the code list of %(field)s.") % {
                "field": dict(Field.choices)[field]})
        return data


class PlaceForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Street or township"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.visible_to(user).filter(
            level=OrgUnit.Level.TOWNSHIP).order_by("code")


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("The hospital system that will use it."))
    source = forms.ModelChoiceField(label=_("Reporting source (hospital)"), queryset=ReportingSource.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources_for(user)


class CardExportForm(forms.Form):
    """The CDC's quarterly export: which quarter, which file."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int,
                                     choices=[(1, _("Q1 (Jan–Mar)")), (2, _("Q2 (Apr–Jun)")),
                                              (3, _("Q3 (Jul–Sep)")), (4, _("Q4 (Oct–Dec)"))])
    fmt = forms.ChoiceField(label=_("File"), initial="xlsx",
                            choices=[("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (.csv)"))])
    encoding = forms.ChoiceField(label=_("Encoding of a CSV"), initial="utf-8", required=False,
                                 choices=[("utf-8", "UTF-8"), ("gbk", "GBK")])
