"""Scorecard rule of notice 四(三): a year-end analysis meeting held — recorded here with its review
of the year's targets, problems, next year's targets and measures, or (as before this app) as an
activities meeting of the kind year-end review. One rule, key `year_end_review`, counts both."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from safecommunity.activities.models import Meeting
from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name

from .models import YearEndReview

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "activities.Meeting",
    "inspections.YearEndReview",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)


def count_reviews(*, creating_unit_ids, year):
    counts = {}
    for qs in (YearEndReview.objects.filter(org_unit__creating_unit__in=creating_unit_ids, year=year),
               Meeting.objects.filter(org_unit__creating_unit__in=creating_unit_ids, held_on__year=year,
                                      kind=Meeting.Kind.YEAR_END_REVIEW)):
        for r in qs.values("org_unit__creating_unit").annotate(n=Count("pk")).order_by():
            unit = r["org_unit__creating_unit"]
            counts[unit] = counts.get(unit, 0) + r["n"]
    return counts


def link(unit, year):
    return f"{reverse_name('inspections:review_list')}?unit={unit.code}&year={year}"


OBLIGATIONS = [
    Obligation(key="year_end_review", label=_("Year-end analysis meeting recorded (targets reviewed, next "
                                                "year's targets set)"),
               default_minimum=1, count=count_reviews, url=link, unit=_("meetings"), order=50),
]
