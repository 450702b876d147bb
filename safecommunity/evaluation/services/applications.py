"""A unit's application: the preconditions, the self-assessment and work report, submission, and
the district's preliminary review."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.creation.services import creating_unit_transition
from safecommunity.orgunits.models import CreatingUnit

from ..models import Application, EvaluationPolicy, Scheme, SelfScore
from .scoring import _scheme_item, _set_graded
from .workflow import S, _locked, _move

APPLYING_FROM = {CreatingUnit.Status.LAUNCHED, CreatingUnit.Status.RETURNED, CreatingUnit.Status.EXPIRED}


def preconditions(creating_unit: CreatingUnit, today: date | None = None) -> list[str]:
    """Why this unit may not apply yet ([] = it may)."""
    today = today or timezone.localdate()
    policy = EvaluationPolicy.current()
    problems = []
    if creating_unit.status not in APPLYING_FROM:
        problems.append(_("The unit is “%(s)s”; only a launched (or returned, or expired) unit may apply.")
                        % {"s": CreatingUnit.Status(creating_unit.status).label})
    launched = creating_unit.launched_on or (date(creating_unit.launch_year, 1, 1) if creating_unit.launch_year
                                             else None)
    if launched is None:
        problems.append(_("The unit has no launch date."))
    else:
        months = (today.year - launched.year) * 12 + today.month - launched.month - (today.day < launched.day)
        if months < policy.min_months_since_launch:
            problems.append(_("Creation started %(d)s; at least %(n)s months of creation work are required.")
                            % {"d": launched, "n": policy.min_months_since_launch})
    if Application.objects.filter(creating_unit=creating_unit).exclude(status__in=Application.CLOSED_STATUSES) \
            .exists():
        problems.append(_("The unit already has an application in progress."))
    return problems


@transaction.atomic
def application_create(*, creating_unit: CreatingUnit, actor, scheme: Scheme | None = None) -> Application:
    require_role(actor, Role.UNIT, Role.DISTRICT, Role.CITY)
    require_scope(actor, creating_unit.org_unit)
    problems = preconditions(creating_unit)
    if problems:
        raise ValidationError({"creating_unit": problems})
    scheme = scheme or Scheme.objects.filter(is_default=True, is_active=True).first()
    if scheme is None:
        raise ValidationError({"scheme": _("Choose an active evaluation scheme.")})
    problems = scheme.problems()
    if problems:
        raise ValidationError({"scheme": [_("“%(s)s” cannot be chosen:") % {"s": scheme.name}] + problems})
    return Application.objects.create(creating_unit=creating_unit, org_unit=creating_unit.org_unit, scheme=scheme,
                                      created_by=actor)


def _require_unit_edit(application: Application, actor) -> None:
    require_role(actor, Role.UNIT, Role.DISTRICT, Role.CITY)
    require_scope(actor, application.org_unit)
    if application.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("The self-assessment can only be changed before submission or after a return."))


@transaction.atomic
def self_score_set(*, application: Application, actor, item, presence: str, evidence: str, effect: str,
                   comment: str = "", evidence_files=()) -> SelfScore:
    application = _locked(application)
    _require_unit_edit(application, actor)
    item = _scheme_item(application, item)
    files = list(evidence_files)
    for f in files:
        if f.org_unit_id != application.org_unit_id:
            raise ValidationError({"evidence_files": _("Evidence must come from the unit's own archive.")})
    score = SelfScore.objects.filter(application=application, item=item).first() or SelfScore(
        application=application, item=item)
    _set_graded(score, application.scheme, item, presence, evidence, effect, comment)
    score.save()
    score.evidence_files.set(files)
    return score


@transaction.atomic
def application_update(*, application: Application, actor, summary: str | None = None, work_report=None):
    application = _locked(application)
    _require_unit_edit(application, actor)
    if work_report is not None:
        if work_report.org_unit_id != application.org_unit_id:
            raise ValidationError({"work_report": _("The work report must be a file of the unit.")})
        application.work_report = work_report
    if summary is not None:
        application.summary = summary.strip()
    application.save()
    return application


@transaction.atomic
def application_submit(*, application: Application, actor, note: str = "") -> Application:
    application = _locked(application)
    _require_unit_edit(application, actor)
    missing = application.scheme.items.exclude(pk__in=application.self_scores.values("item_id"))
    errors = {}
    if missing.exists():
        errors["self_scores"] = _("Score every item first; missing: %(items)s.") % {
            "items": "、".join(str(i.number) for i in missing[:20])}
    if application.work_report_id is None:
        errors["work_report"] = _("Upload the work report first.")
    if application.status == S.DRAFT:
        problems = preconditions(application.creating_unit)
        problems = [p for p in problems if p != _("The unit already has an application in progress.")]
        if problems:
            errors["creating_unit"] = problems
    if errors:
        raise ValidationError(errors)
    _move(application, S.SUBMITTED, actor, note)
    application.self_total = sum((s.points for s in application.self_scores.all()), Decimal(0))
    application.submitted_at = timezone.now()
    application.save()
    creating_unit_transition(unit=application.creating_unit, to=CreatingUnit.Status.APPLIED, actor=actor,
                             reason=_("Applied for Chongqing Safe Community evaluation"),
                             document=application.work_report)
    return application


@transaction.atomic
def application_review(*, application: Application, actor, forward: bool, reason: str = "") -> Application:
    """District preliminary review: forward to the city, or return with reasons."""
    application = _locked(application)
    require_role(actor, Role.DISTRICT, Role.CITY)
    require_scope(actor, application.org_unit)
    if not forward and not reason.strip():
        raise ValidationError({"reason": _("Give the reasons for returning.")})
    _move(application, S.FORWARDED if forward else S.RETURNED, actor, reason.strip())
    application.save()
    if not forward:
        creating_unit_transition(unit=application.creating_unit, to=CreatingUnit.Status.RETURNED, actor=actor,
                                 reason=reason.strip())
    return application
