"""Filters shared by the apps' FilterSets."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its code in the query string (?department=GA), documented as a string."""


class YearFilter(django_filters.NumberFilter):
    """A year (2000–2100): anything else is a field error on the search form (400), never a
    date lookup the database cannot make (a year lookup on 0 or a 20-digit number)."""

    def __init__(self, *args, **kwargs):
        from .params import YEAR_MAX, YEAR_MIN

        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)
