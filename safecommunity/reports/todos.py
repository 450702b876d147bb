"""The 待办 inbox: monthly reports to submit or correct, to approve, and unlock requests to decide.
What counts is `services.allowed_actions` (the rule the detail page's buttons and the services use)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import in_scope
from safecommunity.core.todos import Todo

from .models import MonthlyReport, ReportStep, UnlockRequest
from .periods import due_dates
from .services import TRANSITIONS, allowed_actions

# Every model whose table todos() reads: its items stay cached until one of them changes.
DEPENDS_ON = (
    "orgunits.OrgUnit",
    "reports.InformationOfficer",
    "reports.MonthlyReport",
    "reports.ReportDeadline",
    "reports.UnlockRequest",
)

S, A = MonthlyReport.Status, ReportStep.Action


def todos(user) -> list[Todo]:
    today = timezone.localdate()
    reports = list(MonthlyReport.objects.visible_to(user)
                   .filter(status__in=[S.DRAFT, S.RETURNED, S.SUBMITTED, S.DISTRICT_APPROVED])
                   .select_related("org_unit", "signed_by").order_by("period", "org_unit__code")[:200])
    due = due_dates({r.period for r in reports})
    items = []
    for report in reports:
        actions = allowed_actions(report, user)
        deadline = due.get(report.period)
        if A.SUBMIT in actions:
            kind = _("Returned report to correct") if report.status == S.RETURNED else _("Monthly report to submit")
            items.append(Todo(kind=kind, title=str(report), url=report.get_absolute_url(), deadline=deadline,
                              overdue=bool(deadline and deadline < today), key=f"reports.submit.{report.pk}"))
        elif actions & {A.DISTRICT_APPROVE, A.CITY_APPROVE}:
            items.append(Todo(kind=_("Monthly report to approve"), title=str(report), url=report.get_absolute_url(),
                              key=f"reports.approve.{report.pk}"))
    pending = (UnlockRequest.objects.filter(status=UnlockRequest.Status.PENDING,
                                            report__in=MonthlyReport.objects.visible_to(user))
               .select_related("report__org_unit")[:50])
    for req in pending:
        report = req.report
        rule = TRANSITIONS.get((report.kind, A.UNLOCK_GRANT, report.status))
        if rule and (user.is_superuser or user.role in rule[1]) and in_scope(user, report.org_unit):
            items.append(Todo(kind=_("Unlock request to decide"), title=str(report), url=report.get_absolute_url(),
                              key=f"reports.unlock.{req.pk}"))
    return items
