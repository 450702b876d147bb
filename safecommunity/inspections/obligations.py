"""Scorecard rule of notice 四(三): a year-end analysis meeting recorded with its review of the
year's targets, problems, next year's targets and measures."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation

from .models import YearEndReview


def count_reviews(*, creating_unit_ids, year):
    rows = (YearEndReview.objects.filter(org_unit__creating_unit__in=creating_unit_ids, year=year)
            .values("org_unit__creating_unit").annotate(n=Count("pk")).order_by())
    return {r["org_unit__creating_unit"]: r["n"] for r in rows}


def link(unit, year):
    return f"{reverse('inspections:review_list')}?unit={unit.code}&year={year}"


OBLIGATIONS = [
    Obligation(key="year_end_analysis", label=_("Year-end analysis meeting recorded (targets reviewed, next "
                                                "year's targets set)"),
               default_minimum=1, count=count_reviews, url=link, unit=_("meetings"), order=52),
]
