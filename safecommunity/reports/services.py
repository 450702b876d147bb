"""Every write of the monthly reports: drafts, edits, the review workflow, unlocks, reminders.

The workflow is one explicit table, TRANSITIONS: (kind, action, from status) → (to status,
roles that may act). A unit report goes draft → submitted → approved by the district →
approved by the city; a district summary goes draft → submitted → approved by the city. Either
can be returned (with a reason) by the level reviewing it; an approved report is locked until
its approver grants an unlock request. Each step is a ReportStep row (who, when, note).
"""

import uuid
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from safecommunity.accounts.models import User
from safecommunity.accounts.rules import in_scope
from safecommunity.core.roles import OFFICES_AND_UNITS, Role
from safecommunity.core.rules import require_role
from safecommunity.core.services import notify, record_delete, record_save
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from . import figures as fig
from .models import (
    InformationOfficer,
    MonthlyReport,
    ReportComment,
    ReportDeadline,
    ReportStep,
    ReportVersion,
    UnlockRequest,
)
from .periods import add_months, due_on, month_end, month_start

S = MonthlyReport.Status
K = MonthlyReport.Kind
A = ReportStep.Action

TRANSITIONS: dict[tuple[str, str, str], tuple[str, frozenset]] = {
    (K.UNIT, A.SUBMIT, S.DRAFT): (S.SUBMITTED, frozenset({Role.UNIT})),
    (K.UNIT, A.SUBMIT, S.RETURNED): (S.SUBMITTED, frozenset({Role.UNIT})),
    (K.UNIT, A.DISTRICT_APPROVE, S.SUBMITTED): (S.DISTRICT_APPROVED, frozenset({Role.DISTRICT})),
    (K.UNIT, A.RETURN, S.SUBMITTED): (S.RETURNED, frozenset({Role.DISTRICT})),
    (K.UNIT, A.CITY_APPROVE, S.DISTRICT_APPROVED): (S.APPROVED, frozenset({Role.CITY})),
    (K.UNIT, A.RETURN, S.DISTRICT_APPROVED): (S.RETURNED, frozenset({Role.CITY})),
    (K.UNIT, A.UNLOCK_GRANT, S.DISTRICT_APPROVED): (S.DRAFT, frozenset({Role.DISTRICT})),
    (K.UNIT, A.UNLOCK_GRANT, S.APPROVED): (S.DRAFT, frozenset({Role.CITY})),
    (K.DISTRICT, A.SUBMIT, S.DRAFT): (S.SUBMITTED, frozenset({Role.DISTRICT})),
    (K.DISTRICT, A.SUBMIT, S.RETURNED): (S.SUBMITTED, frozenset({Role.DISTRICT})),
    (K.DISTRICT, A.CITY_APPROVE, S.SUBMITTED): (S.APPROVED, frozenset({Role.CITY})),
    (K.DISTRICT, A.RETURN, S.SUBMITTED): (S.RETURNED, frozenset({Role.CITY})),
    (K.DISTRICT, A.UNLOCK_GRANT, S.APPROVED): (S.DRAFT, frozenset({Role.CITY})),
}

# How an action reads in "a report that is X cannot be …".
ACTION_VERBS = {
    A.SUBMIT: pgettext_lazy("monthly report", "submitted"), A.DISTRICT_APPROVE: gettext_lazy("approved by the district"),
    A.CITY_APPROVE: gettext_lazy("approved by the city"), A.RETURN: gettext_lazy("returned"),
    A.UNLOCK_GRANT: gettext_lazy("unlocked"),
}

# Who writes (and asks to unlock) a report of each kind.
AUTHOR_ROLE = {K.UNIT: Role.UNIT, K.DISTRICT: Role.DISTRICT}

NARRATIVE_FIELDS = ("work_done", "problems", "next_plans")
COMMENT_FIELDS = ("", "is_nil", "signed_by", *NARRATIVE_FIELDS)


_NOW_OVERRIDE: list = []


def now():
    return _NOW_OVERRIDE[-1] if _NOW_OVERRIDE else timezone.now()


class acting_at:
    """Record steps as if they happened at `at` (demo data and imports of past months)."""

    def __init__(self, at):
        self.at = at

    def __enter__(self):
        _NOW_OVERRIDE.append(self.at)

    def __exit__(self, *exc):
        _NOW_OVERRIDE.pop()


def _has_role(actor, roles) -> bool:
    return actor.is_superuser or actor.role in roles


def allowed_actions(report: MonthlyReport, actor) -> set[str]:
    """The workflow actions `actor` may take now (for showing buttons; the services re-check)."""
    found = set()
    if not in_scope(actor, report.org_unit):
        return found
    for (kind, action, from_status), (_to, roles) in TRANSITIONS.items():
        if kind == report.kind and from_status == report.status and _has_role(actor, roles):
            if action in (A.DISTRICT_APPROVE, A.CITY_APPROVE) and _is_own(report, actor):
                continue
            found.add(action)
    if report.is_locked and _has_role(actor, {AUTHOR_ROLE[report.kind]}):
        found.add(A.UNLOCK_REQUEST)
    return found


def _is_own(report: MonthlyReport, actor) -> bool:
    if report.submitted_by_id and report.submitted_by_id == actor.pk:
        return True
    return bool(report.signed_by_id and report.signed_by.user_id and report.signed_by.user_id == actor.pk)


def _lock_reason(report: MonthlyReport) -> str:
    last = report.steps.filter(to_status=report.status).order_by("-at", "-pk").select_related("actor").first()
    who = str(last.actor) if last and last.actor else "—"
    when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "—"
    if report.is_locked:
        return _("The report is locked: %(status)s by %(who)s on %(when)s. Ask for an unlock to change it.") % {
            "status": report.get_status_display(), "who": who, "when": when}
    return _("The report is under review (%(status)s since %(when)s) and cannot be changed now.") % {
        "status": report.get_status_display(), "when": when}


def _step(report, *, action, from_status, to_status, actor, note="", batch="") -> ReportStep:
    return ReportStep.objects.create(report=report, action=action, from_status=from_status, to_status=to_status,
                                     actor=actor, at=now(), note=note, version=report.version, batch=batch)


def _transition(report: MonthlyReport, *, action: str, actor, note: str = "", batch: str = "") -> MonthlyReport:
    key = (report.kind, action, report.status)
    if key not in TRANSITIONS:
        raise ValidationError(_("A report that is “%(status)s” cannot be %(action)s.") % {
            "status": report.get_status_display(), "action": ACTION_VERBS.get(action, A(action).label)})
    to, roles = TRANSITIONS[key]
    if not _has_role(actor, roles):
        raise PermissionDenied(_("Your role may not do this at this stage of the report."))
    if not in_scope(actor, report.org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": report.org_unit})
    _step(report, action=action, from_status=report.status, to_status=to, actor=actor, note=note, batch=batch)
    report.status = to
    report.last_action_at = now()
    report.last_actor = actor
    report.save(update_fields=["status", "last_action_at", "last_actor", "updated_at"])
    return report


def _locked(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update(of=("self",)).select_related("org_unit", "signed_by").get(
        pk=report.pk)


# --- drafts and figures ---------------------------------------------------------------------

def _unit_figures(report: MonthlyReport) -> dict:
    cu = CreatingUnit.objects.filter(org_unit_id=report.org_unit_id).values_list("pk", flat=True).first()
    if cu is None:
        return {}
    return fig.collect_unit_figures(creating_unit_ids=[cu], period=report.period)[cu]


def district_summary_figures(*, district: OrgUnit, period: date) -> dict:
    """Sum of the figures of the district's units' approved reports, plus district-level work."""
    reports = MonthlyReport.objects.filter(
        kind=K.UNIT, district=district, period=period, status__in=(S.DISTRICT_APPROVED, S.APPROVED))
    totals: dict[str, int] = {f.key: 0 for f in fig.figure_definitions()}
    n = nil = 0
    for figures, is_nil in reports.values_list("figures", "is_nil"):
        n += 1
        nil += int(is_nil)
        for key, value in (figures or {}).items():
            totals[key] = totals.get(key, 0) + fig._as_int(value)
    from .selectors import expected_unit_rows

    expected = sum(1 for _row in expected_unit_rows(period=period, district_ids=[district.pk]))
    totals["units_expected"] = expected
    totals["unit_reports_approved"] = n
    totals["unit_nil_reports"] = nil
    totals.update(fig.collect_district_figures(district_ids=[district.pk], period=period)[district.pk])
    return totals


def report_current_figures(report: MonthlyReport) -> dict:
    """What the records say now for this report's unit and month (plugins re-run)."""
    if report.kind == K.DISTRICT:
        return district_summary_figures(district=report.org_unit, period=report.period)
    return _unit_figures(report)


def _check_period(period: date) -> date:
    if period is None:
        raise ValidationError({"period": _("Choose a month.")})
    period = month_start(period)
    if period > month_start(timezone.localdate()):
        raise ValidationError({"period": _("A report cannot be written for a month that has not begun.")})
    return period


@transaction.atomic
def monthly_report_create(*, org_unit: OrgUnit, period: date, actor) -> MonthlyReport:
    """A pre-filled draft for a creating unit (by its own staff) or a district summary (by the district)."""
    period = _check_period(period)
    if org_unit is None:
        raise ValidationError({"org_unit": _("Reports are written by creating units and districts.")})
    if org_unit.level == OrgUnit.Level.DISTRICT:
        kind, district = K.DISTRICT, org_unit
    elif org_unit.is_creating_level:
        kind, district = K.UNIT, org_unit.district
    else:
        raise ValidationError({"org_unit": _("Reports are written by creating units and districts.")})
    if not _has_role(actor, {AUTHOR_ROLE[kind]}):
        raise PermissionDenied(_("Your role may not write this report."))
    if not in_scope(actor, org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": org_unit})
    if kind == K.UNIT:
        cu = CreatingUnit.objects.filter(org_unit=org_unit).first()
        if cu is None or cu.status == CreatingUnit.Status.NOT_STARTED or (
                cu.launched_on and cu.launched_on > month_end(period)):
            raise ValidationError({"period": _("%(unit)s had not launched creation in %(month)s: no report is due.")
                                   % {"unit": org_unit, "month": f"{period:%Y-%m}"}})
    if MonthlyReport.objects.filter(org_unit=org_unit, period=period).exists():
        raise ValidationError({"period": _("The report of %(unit)s for %(month)s already exists.")
                               % {"unit": org_unit, "month": f"{period:%Y-%m}"}})
    report = MonthlyReport(org_unit=org_unit, district=district, kind=kind, period=period, created_by=actor,
                           last_actor=actor, last_action_at=now())
    report.signed_by = InformationOfficer.objects.filter(org_unit=org_unit, is_active=True).first()
    report.figures = report_current_figures(report)
    report.figures_built_at = now()
    report.full_clean()
    report.save()
    _step(report, action=A.CREATE, from_status=S.DRAFT, to_status=S.DRAFT, actor=actor)
    return report


@transaction.atomic
def monthly_report_drafts_build(*, period: date, actor=None, district_ids: list[int] | None = None) -> int:
    """Pre-filled drafts for every expected unit that has no report for `period` yet (bulk).

    Used by the daily job on the 1st and by the city; the batch is logged as one step per draft.
    """
    from .selectors import expected_unit_rows

    period = _check_period(period)
    rows = list(expected_unit_rows(period=period, district_ids=district_ids))
    have = set(MonthlyReport.objects.filter(period=period, kind=K.UNIT).values_list("org_unit_id", flat=True))
    rows = [r for r in rows if r["org_unit_id"] not in have]
    if not rows:
        return 0
    data = fig.collect_unit_figures(creating_unit_ids=[r["pk"] for r in rows], period=period)
    officers = {}
    for oid, org_unit_id in InformationOfficer.objects.filter(
            is_active=True, org_unit_id__in=[r["org_unit_id"] for r in rows]).order_by("pk").values_list(
                "pk", "org_unit_id"):
        officers.setdefault(org_unit_id, oid)
    at = now()
    reports = [MonthlyReport(org_unit_id=r["org_unit_id"], district_id=r["org_unit__parent_id"], kind=K.UNIT,
                             period=period, figures=data[r["pk"]], figures_built_at=at,
                             signed_by_id=officers.get(r["org_unit_id"]), created_by=actor, last_actor=actor,
                             last_action_at=at) for r in rows]
    MonthlyReport.objects.bulk_create(reports, batch_size=1000)
    created = MonthlyReport.objects.filter(period=period, org_unit_id__in=[r["org_unit_id"] for r in rows])
    batch = str(uuid.uuid4())
    ReportStep.objects.bulk_create(
        [ReportStep(report_id=pk, action=A.CREATE, from_status=S.DRAFT, to_status=S.DRAFT, actor=actor, at=at,
                    note=_("Draft prepared automatically"), batch=batch)
         for pk in created.values_list("pk", flat=True)], batch_size=1000)
    return len(reports)


def _check_editable(report: MonthlyReport, actor) -> None:
    if not in_scope(actor, report.org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": report.org_unit})
    if not _has_role(actor, {AUTHOR_ROLE[report.kind]}):
        raise PermissionDenied(_("Only the reporting unit may change its report."))
    if not report.is_editable:
        raise ValidationError(_lock_reason(report))


@transaction.atomic
def monthly_report_update(*, report: MonthlyReport, actor, work_done: str | None = None, problems: str | None = None,
                          next_plans: str | None = None, is_nil: bool | None = None,
                          signed_by: InformationOfficer | None = None) -> MonthlyReport:
    report = _locked(report)
    _check_editable(report, actor)
    fields = []
    for name, value in (("work_done", work_done), ("problems", problems), ("next_plans", next_plans)):
        if value is not None:
            setattr(report, name, value.strip())
            fields.append(name)
    if is_nil is not None:
        report.is_nil = bool(is_nil)
        fields.append("is_nil")
    if signed_by is not None:
        if signed_by.org_unit_id != report.org_unit_id or not signed_by.is_active:
            raise ValidationError({"signed_by": _("Choose an active information officer of %(unit)s.")
                                   % {"unit": report.org_unit}})
        report.signed_by = signed_by
        fields.append("signed_by")
    report.full_clean()
    report.save(update_fields=[*fields, "updated_at"])
    return report


@transaction.atomic
def monthly_report_refresh_figures(*, report: MonthlyReport, actor) -> MonthlyReport:
    report = _locked(report)
    _check_editable(report, actor)
    report.figures = report_current_figures(report)
    report.figures_built_at = now()
    report.save(update_fields=["figures", "figures_built_at", "updated_at"])
    return report


# --- the workflow ---------------------------------------------------------------------------

@transaction.atomic
def monthly_report_submit(*, report: MonthlyReport, actor) -> MonthlyReport:
    """Submit (or resubmit): figures are rebuilt from the records and a version is kept."""
    report = _locked(report)
    if not in_scope(actor, report.org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": report.org_unit})
    if (report.kind, A.SUBMIT, report.status) not in TRANSITIONS:
        raise ValidationError(_lock_reason(report))
    errors = {}
    officer = report.signed_by
    if officer is None or not officer.is_active or officer.org_unit_id != report.org_unit_id:
        errors["signed_by"] = _("The report must be signed by an active information officer of %(unit)s.") % {
            "unit": report.org_unit}
    if not report.is_nil and not report.work_done.strip():
        errors["work_done"] = _("Describe the work done this month, or file it as a nil report.")
    if errors:
        raise ValidationError(errors)
    report.figures = report_current_figures(report)
    report.figures_built_at = now()
    report.version += 1
    at = now()
    report.submitted_at = at
    report.submitted_by = actor
    if report.first_submitted_at is None:
        report.first_submitted_at = at
    report.save(update_fields=["figures", "figures_built_at", "version", "submitted_at", "submitted_by",
                               "first_submitted_at", "updated_at"])
    ReportVersion.objects.create(report=report, number=report.version, figures=report.figures, is_nil=report.is_nil,
                                 work_done=report.work_done, problems=report.problems, next_plans=report.next_plans,
                                 signed_by_name=officer.name, submitted_at=at, submitted_by=actor)
    note = _("Nil report") if report.is_nil else ""
    return _transition(report, action=A.SUBMIT, actor=actor, note=note)


def _approve_action(report: MonthlyReport) -> str:
    for action in (A.DISTRICT_APPROVE, A.CITY_APPROVE):
        if (report.kind, action, report.status) in TRANSITIONS:
            return action
    raise ValidationError(_("A report that is “%(status)s” cannot be approved.") % {
        "status": report.get_status_display()})


@transaction.atomic
def monthly_report_approve(*, report: MonthlyReport, actor, note: str = "", batch: str = "") -> MonthlyReport:
    """Approve at the level the report has reached. Refused for one's own report, out of scope,
    and, without a written reason, when the figures no longer match the records."""
    report = _locked(report)
    action = _approve_action(report)
    if _is_own(report, actor):
        raise PermissionDenied(_("Nobody may approve their own report."))
    _to, roles = TRANSITIONS[(report.kind, action, report.status)]
    if not _has_role(actor, roles):
        raise PermissionDenied(_("Your role may not do this at this stage of the report."))
    if not in_scope(actor, report.org_unit):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": report.org_unit})
    diff = fig.figures_difference(report.figures, report_current_figures(report))
    note = (note or "").strip()
    if diff and not note:
        detail = "；".join(f"{d['label']}: {d['reported']} → {d['current']}" for d in diff)
        raise ValidationError({"note": _("The figures no longer match the records (%(detail)s). "
                                         "Give the reason for approving anyway.") % {"detail": detail}})
    return _transition(report, action=action, actor=actor, note=note, batch=batch)


@transaction.atomic
def monthly_report_return(*, report: MonthlyReport, actor, reason: str,
                          comments: dict[str, str] | None = None) -> MonthlyReport:
    """Return for correction: a reason is required; per-field comments are kept with the version."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the report.")})
    report = _locked(report)
    comments = {k: (v or "").strip() for k, v in (comments or {}).items() if (v or "").strip()}
    valid = set(COMMENT_FIELDS) | {f"figures.{k}" for k in report.figures}
    unknown = [k for k in comments if k not in valid]
    if unknown:
        raise ValidationError({"comments": _("Unknown field: %(f)s.") % {"f": ", ".join(unknown)}})
    _transition(report, action=A.RETURN, actor=actor, note=reason)
    at = now()
    for field, text in comments.items():
        ReportComment.objects.create(report=report, field=field, text=text, author=actor, at=at,
                                     version=report.version)
    recipients = list(User.objects.filter(role=Role.UNIT if report.kind == K.UNIT else Role.DISTRICT,
                                          org_unit=report.org_unit, is_active=True))
    if report.submitted_by:
        recipients.append(report.submitted_by)
    notify(users=recipients, title=_("Monthly report %(report)s was returned") % {"report": report},
           body=reason, url=report.get_absolute_url(), level="warning",
           key=f"reports:returned:{report.pk}:{report.version}:{report.steps.count()}")
    return report


@transaction.atomic
def report_comment_add(*, report: MonthlyReport, actor, field: str, text: str) -> ReportComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if field not in set(COMMENT_FIELDS) | {f"figures.{k}" for k in report.figures}:
        raise ValidationError({"field": _("Unknown field: %(f)s.") % {"f": field}})
    if not in_scope(actor, report.org_unit) or not _has_role(actor, {Role.DISTRICT, Role.CITY, Role.UNIT}):
        raise PermissionDenied(_("You may not comment on this report."))
    return ReportComment.objects.create(report=report, field=field, text=text, author=actor, at=now(),
                                        version=report.version)


def monthly_report_bulk_approve(*, reports, actor, note: str = "") -> tuple[list, list]:
    """Approve several clean reports at once; each is its own step, all share a batch id.

    A report that is not clean (figures differ, own report, wrong state or scope) is skipped
    with the reason; the others are approved. Returns (approved, [(report, reason)])."""
    batch = str(uuid.uuid4())
    approved, skipped = [], []
    for report in reports:
        try:
            approved.append(monthly_report_approve(report=report, actor=actor, note=note, batch=batch))
        except ValidationError as exc:
            skipped.append((report, "；".join(exc.messages)))
        except PermissionDenied as exc:
            skipped.append((report, str(exc)))
    return approved, skipped


# --- unlock ---------------------------------------------------------------------------------

@transaction.atomic
def unlock_request_create(*, report: MonthlyReport, actor, reason: str) -> UnlockRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the unlock request.")})
    report = _locked(report)
    if not in_scope(actor, report.org_unit) or not _has_role(actor, {AUTHOR_ROLE[report.kind]}):
        raise PermissionDenied(_("Only the reporting unit may ask to unlock its report."))
    if not report.is_locked:
        raise ValidationError(_("Only an approved report is locked; this one is “%(status)s”.") % {
            "status": report.get_status_display()})
    if report.unlock_requests.filter(status=UnlockRequest.Status.PENDING).exists():
        raise ValidationError(_("An unlock request for this report is already waiting for a decision."))
    req = UnlockRequest.objects.create(report=report, reason=reason, requested_by=actor, requested_at=now())
    _step(report, action=A.UNLOCK_REQUEST, from_status=report.status, to_status=report.status, actor=actor,
          note=reason)
    _to, roles = TRANSITIONS[(report.kind, A.UNLOCK_GRANT, report.status)]
    deciders = User.objects.filter(role__in=roles, is_active=True).filter(
        Q(role=Role.CITY) | Q(org_unit=report.district))
    notify(users=deciders, title=_("Unlock requested for %(report)s") % {"report": report}, body=reason,
           url=report.get_absolute_url(), key=f"reports:unlock:{req.pk}")
    return req


@transaction.atomic
def unlock_request_decide(*, request: UnlockRequest, actor, grant: bool, note: str = "") -> UnlockRequest:
    req = UnlockRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != UnlockRequest.Status.PENDING:
        raise ValidationError(_("This unlock request has already been decided."))
    report = _locked(req.report)
    note = (note or "").strip()
    key = (report.kind, A.UNLOCK_GRANT, report.status)
    if key not in TRANSITIONS:
        raise ValidationError(_("The report is no longer locked."))
    _to, roles = TRANSITIONS[key]
    if not _has_role(actor, roles) or not in_scope(actor, report.org_unit):
        raise PermissionDenied(_("Only the approver of the report may decide on unlocking it."))
    if not grant and not note:
        raise ValidationError({"note": _("Give the reason for refusing.")})
    if grant:
        _transition(report, action=A.UNLOCK_GRANT, actor=actor, note=note or req.reason)
    else:
        _step(report, action=A.UNLOCK_REFUSE, from_status=report.status, to_status=report.status, actor=actor,
              note=note)
    req.status = UnlockRequest.Status.GRANTED if grant else UnlockRequest.Status.REFUSED
    req.decided_by, req.decided_at, req.decision_note = actor, now(), note
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    title = _("Unlock granted for %(report)s") if grant else _("Unlock refused for %(report)s")
    notify(users=[req.requested_by], title=title % {"report": report}, body=note, url=report.get_absolute_url(),
           key=f"reports:unlock-decided:{req.pk}")
    return req


# --- reminders ------------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 3


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """The daily reminder run. For last month's reports: before the deadline (from 3 days before
    it) each unit that has not submitted is reminded; after it, each district is told which of
    its units are missing. Each notice is keyed, so it is sent once. On the 1st, drafts are
    prepared for every expected unit."""
    from .selectors import expected_unit_rows

    today = today or timezone.localdate()
    period = add_months(month_start(today), -1)
    due = due_on(period)
    counts = {"drafts": 0, "unit_reminders": 0, "district_reminders": 0}
    if today.day == 1 or today == month_start(today):
        counts["drafts"] = monthly_report_drafts_build(period=period)
    received = set(MonthlyReport.objects.filter(period=period, kind=K.UNIT, status__in=MonthlyReport.RECEIVED)
                   .values_list("org_unit_id", flat=True))
    missing = [r for r in expected_unit_rows(period=period) if r["org_unit_id"] not in received]
    month = f"{period:%Y-%m}"
    if due - timedelta(days=REMIND_DAYS_BEFORE) <= today <= due:
        users = User.objects.filter(role=Role.UNIT, is_active=True,
                                    org_unit_id__in=[r["org_unit_id"] for r in missing])
        by_unit: dict[int, list] = {}
        for u in users:
            by_unit.setdefault(u.org_unit_id, []).append(u)
        for org_unit_id, unit_users in by_unit.items():
            counts["unit_reminders"] += notify(
                users=unit_users, title=_("The monthly report for %(month)s is due on %(due)s") % {
                    "month": month, "due": due.isoformat()},
                url="/reports/", key=f"reports:due:{month}:{org_unit_id}")
    elif today > due and missing:
        by_district: dict[int, list] = {}
        for r in missing:
            by_district.setdefault(r["org_unit__parent_id"], []).append(r["org_unit__name"])
        users = User.objects.filter(role=Role.DISTRICT, is_active=True, org_unit_id__in=list(by_district))
        for user in users:
            names = by_district[user.org_unit_id]
            counts["district_reminders"] += notify(
                users=[user], level="warning",
                title=_("%(n)d units have not submitted the report for %(month)s (due %(due)s)") % {
                    "n": len(names), "month": month, "due": due.isoformat()},
                body="、".join(names[:30]) + ("…" if len(names) > 30 else ""),
                url=f"/reports/board/?period={month}", key=f"reports:overdue:{month}:{user.org_unit_id}")
    return counts


# --- information officers and reporting deadlines ---------------------------------------------

OFFICER_ROLES = OFFICES_AND_UNITS  # the offices and units, in their area (permissions.officers)


@transaction.atomic
def officer_save(*, officer: InformationOfficer, actor) -> InformationOfficer:
    """Add or change an information officer of a unit in the actor's area."""
    return record_save(obj=officer, actor=actor, roles=OFFICER_ROLES)


@transaction.atomic
def officer_delete(*, officer: InformationOfficer, actor) -> None:
    record_delete(obj=officer, actor=actor, roles=OFFICER_ROLES)


@transaction.atomic
def deadline_set(*, actor, period: date, due_on: date, note: str = "") -> ReportDeadline:
    """The due date of one month's reports, when it differs from the default: the city office."""
    require_role(actor, Role.CITY)
    period = period.replace(day=1)
    if due_on <= period:
        raise ValidationError({"due_on": [_("The due date must come after the month reported on.")]})
    deadline = ReportDeadline.objects.filter(period=period).first() or ReportDeadline(period=period)
    deadline.due_on, deadline.note = due_on, note
    deadline.full_clean()
    deadline.save()
    return deadline

