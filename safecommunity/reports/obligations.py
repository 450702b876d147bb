"""The monthly-report duty of the notice (四(四)): each launched unit submits its monthly progress
report on time every month. Counted: the unit's reports of months in the year that were
received (submitted or approved, nil reports included) and first submitted by their deadline.
Default minimum 12 (one per month), due by December's end; the scorecard app owns the minimums.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Obligation
from safecommunity.core.registry import reverse_name
from safecommunity.orgunits.models import CreatingUnit

from .models import MonthlyReport
from .periods import due_dates, is_on_time

# Every model whose table the counts below read: the scorecard keeps a count until one changes.
DEPENDS_ON = (
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
    "reports.MonthlyReport",
    "reports.ReportDeadline",
)


def count_on_time_reports(*, creating_unit_ids: list[int], year: int) -> dict[int, int]:
    org_to_cu = dict(CreatingUnit.objects.filter(pk__in=creating_unit_ids).values_list("org_unit_id", "pk"))
    dues = due_dates([date(year, m, 1) for m in range(1, 13)])
    rows = MonthlyReport.objects.filter(
        kind=MonthlyReport.Kind.UNIT, org_unit_id__in=list(org_to_cu), period__gte=date(year, 1, 1),
        period__lte=date(year, 12, 1), status__in=MonthlyReport.RECEIVED,
    ).values_list("org_unit_id", "period", "first_submitted_at")
    result: dict[int, int] = {}
    for org_unit_id, period, first_at in rows:
        if is_on_time(first_at, dues[period]):
            cu = org_to_cu[org_unit_id]
            result[cu] = result.get(cu, 0) + 1
    return result


def reports_url(unit, year: int) -> str:
    return reverse_name("reports:report_list") + f"?q={unit.org_unit.code if hasattr(unit, 'org_unit') else unit.code}"


OBLIGATIONS = [
    Obligation(key="monthly_reports_on_time", label=_("Monthly progress reports submitted on time"),
               default_minimum=12, count=count_on_time_reports, due_month=12, url=reports_url, unit=_("reports"),
               order=90),
]
