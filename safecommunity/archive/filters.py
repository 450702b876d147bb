import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.filters import CodeChoiceFilter
from safecommunity.core.forms import DateInput
from safecommunity.core.models import CodeItem

from .models import Attachment


class AttachmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title or file name"), method="search")
    unit = django_filters.CharFilter(label=_("Unit (name or code)"), method="in_unit")
    element = CodeChoiceFilter(label=_("AQ/T 9001 element"), method="by_element",
                                               queryset=CodeItem.objects.of("aqt_element"), to_field_name="code")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Attachment.Kind.choices)
    date_from = django_filters.DateFilter(label=_("Date from"), method="since",
                                          widget=DateInput())
    date_to = django_filters.DateFilter(label=_("Date to"), method="until",
                                        widget=DateInput())
    uploader = django_filters.CharFilter(label=_("Uploaded by"), method="by_uploader")

    class Meta:
        model = Attachment
        fields = ["q", "unit", "element", "kind", "date_from", "date_to", "uploader"]

    def search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(original_name__icontains=value))

    def in_unit(self, qs, name, value):
        return qs.filter(Q(org_unit__name__icontains=value) | Q(org_unit__code__startswith=value))

    def by_element(self, qs, name, value):
        return qs.with_element(value) if value else qs

    def _date(self):
        from django.db.models.functions import Coalesce, TruncDate

        return Coalesce("document_date", TruncDate("uploaded_at"))

    def since(self, qs, name, value):
        return qs.alias(d=self._date()).filter(d__gte=value)

    def until(self, qs, name, value):
        return qs.alias(d=self._date()).filter(d__lte=value)

    def by_uploader(self, qs, name, value):
        return qs.filter(Q(uploaded_by__full_name__icontains=value) | Q(uploaded_by__username__icontains=value))
