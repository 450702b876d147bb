"""On a creating unit's page: its last twelve monthly reports at a glance."""

from .models import MonthlyReport
from .periods import add_months, current_period


def unit_panels(request, org_unit, creating_unit) -> list[dict]:
    if creating_unit is None or not request.user.is_authenticated:
        return []
    period = current_period()
    first = add_months(period, -11)
    reports = {r.period: r for r in MonthlyReport.objects.visible_to(request.user).filter(
        org_unit=org_unit, period__gte=first)}
    months = [(add_months(first, i), reports.get(add_months(first, i))) for i in range(12)]
    return [{"template": "reports/panel_unit.html", "context": {"months": months, "org_unit": org_unit},
             "order": 60}]
