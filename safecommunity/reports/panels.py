"""Home-page blocks: the unit's own report of the month; what waits for the reviewer's decision."""

from django.db.models import Q

from safecommunity.core.roles import Role

from .models import MonthlyReport, UnlockRequest
from .periods import add_months, current_period, due_on

# every model whose table home_panels reads: the blocks are kept per user until one changes
DEPENDS_ON = ("reports.MonthlyReport", "reports.UnlockRequest", "reports.ReportDeadline", "orgunits.OrgUnit")


def home_panels(request) -> list[dict]:
    user = request.user
    if user.role not in (Role.UNIT, Role.DISTRICT, Role.CITY) and not user.is_superuser:
        return []
    period = current_period()
    reports = MonthlyReport.objects.visible_to(user)
    ctx = {"period": period, "due_on": due_on(period), "role": user.role}
    if user.role == Role.UNIT:
        recent = {r.period: r for r in reports.filter(org_unit_id=user.org_unit_id,
                                                      period__gte=add_months(period, -5))}
        ctx["months"] = [(add_months(period, -i), recent.get(add_months(period, -i))) for i in range(5, -1, -1)]
        ctx["current"] = recent.get(period)
        ctx["returned"] = [r for r in recent.values() if r.status == MonthlyReport.Status.RETURNED]
    else:
        S = MonthlyReport.Status
        if user.role == Role.DISTRICT:
            waiting = reports.filter(kind=MonthlyReport.Kind.UNIT, status=S.SUBMITTED)
            unlock_status = [S.DISTRICT_APPROVED]
            ctx["summary"] = reports.filter(kind=MonthlyReport.Kind.DISTRICT, period=period).first()
            ctx["summary_missing"] = ctx["summary"] is None
        else:
            waiting = reports.filter(Q(kind=MonthlyReport.Kind.UNIT, status=S.DISTRICT_APPROVED)
                                     | Q(kind=MonthlyReport.Kind.DISTRICT, status=S.SUBMITTED))
            unlock_status = [S.APPROVED]
        ctx["waiting"] = waiting.count()
        ctx["unlocks"] = list(UnlockRequest.objects.filter(
            report__in=reports.filter(status__in=unlock_status), status=UnlockRequest.Status.PENDING)
            .select_related("report__org_unit")[:5])
    return [{"template": "reports/panel_home.html", "context": ctx, "order": 40}]
