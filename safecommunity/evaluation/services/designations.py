"""After the decision: rectification items done, the city's confirmation (designation with
certificate and reward, or rejection), national and international designations recorded, and the
reminders before a title expires."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.creation.services import creating_unit_transition
from safecommunity.orgunits.models import CreatingUnit

from ..models import Application, Designation, EvaluationPolicy, Rectification, Reward, RewardRate
from .scoring import R
from .workflow import S, _locked, _move


@transaction.atomic
def rectification_done(*, rectification: Rectification, actor, note: str) -> Rectification:
    require_role(actor, Role.UNIT, Role.DISTRICT, Role.CITY)
    require_scope(actor, rectification.application.org_unit)
    if not note.strip():
        raise ValidationError({"done_note": _("Describe what was done.")})
    if rectification.status == Rectification.Status.DONE:
        raise ValidationError(_("This item is already done."))
    rectification.status = Rectification.Status.DONE
    rectification.done_note = note.strip()
    rectification.done_at = timezone.now()
    rectification.done_by = actor
    rectification.save()
    return rectification


def next_certificate_no(year: int) -> str:
    prefix = f"{EvaluationPolicy.current().certificate_prefix}〔{year}〕"
    used = Designation.objects.filter(certificate_no__startswith=prefix).count()
    return f"{prefix}{used + 1:03d}号"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def application_confirm(*, application: Application, actor, document=None, note: str = "") -> Application:
    """The city office confirms the result: designation (certificate, validity, reward) or not passed."""
    application = _locked(application)
    require_role(actor, Role.CITY)
    if application.status != S.DECIDED:
        raise ValidationError(_("Only a scored application can be confirmed."))
    open_items = application.rectifications.filter(status=Rectification.Status.OPEN).count()
    if application.result == R.RECTIFY and open_items:
        raise ValidationError(_("Pass after rectification: %(n)s rectification items are still open.") % {
            "n": open_items})
    unit = application.creating_unit
    if application.result == R.FAIL:
        _move(application, S.REJECTED, actor, note)
        application.save()
        creating_unit_transition(unit=unit, to=CreatingUnit.Status.RETURNED, actor=actor,
                                 reason=note or _("The evaluation was not passed."), document=document)
        return application
    _move(application, S.DESIGNATED, actor, note)
    application.save()
    today = timezone.localdate()
    policy = EvaluationPolicy.current()
    designation = Designation.objects.create(
        creating_unit=unit, level=Designation.Level.CITY, application=application,
        applied_on=application.submitted_at.date() if application.submitted_at else None,
        outcome=Designation.Outcome.PASSED, certificate_no=next_certificate_no(today.year), designated_on=today,
        valid_until=_add_years(today, policy.validity_years), document=document, recorded_by=actor,
    )
    _reward_for(designation)
    creating_unit_transition(unit=unit, to=CreatingUnit.Status.CITY, actor=actor,
                             reason=_("Designated Chongqing Safe Community, certificate %(no)s") % {
                                 "no": designation.certificate_no}, document=document)
    return application


def _reward_for(designation: Designation) -> Reward | None:
    rate = RewardRate.objects.filter(level=designation.level).first()
    district = designation.creating_unit.org_unit.district
    if rate is None or district is None:
        return None
    return Reward.objects.create(designation=designation, district=district, year=designation.designated_on.year,
                                 amount=rate.amount)


@transaction.atomic
def designation_record(*, creating_unit: CreatingUnit, level: str, actor, outcome: str, applied_on: date | None = None,
                       designated_on: date | None = None, certificate_no: str = "", document=None,
                       note: str = "") -> Designation:
    """Record a national or international application and its outcome document."""
    require_role(actor, Role.CITY)
    if level not in (Designation.Level.NATIONAL, Designation.Level.INTERNATIONAL):
        raise ValidationError({"level": _("Record national or international applications here.")})
    if outcome not in Designation.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == Designation.Outcome.PASSED and designated_on is None:
        raise ValidationError({"designated_on": _("Give the date of the designation.")})
    if outcome != Designation.Outcome.PENDING and document is None:
        raise ValidationError({"document": _("Attach the outcome document.")})
    if certificate_no and Designation.objects.filter(certificate_no=certificate_no).exists():
        raise ValidationError({"certificate_no": _("This certificate number is already recorded.")})
    years = 5 if level == Designation.Level.INTERNATIONAL else EvaluationPolicy.current().validity_years
    designation = Designation.objects.create(
        creating_unit=creating_unit, level=level, applied_on=applied_on, outcome=outcome,
        designated_on=designated_on, certificate_no=certificate_no.strip(), document=document, note=note,
        valid_until=_add_years(designated_on, years) if designated_on else None, recorded_by=actor,
    )
    if outcome == Designation.Outcome.PASSED:
        _reward_for(designation)
        creating_unit_transition(unit=creating_unit, to=level, actor=actor, document=document,
                                 effective_on=min(designated_on, timezone.localdate()),
                                 reason=_("%(level)s designation recorded") % {"level": designation.get_level_display()})
    return designation


def reminders_send(*, today: date | None = None) -> int:
    """Notify the unit, its district and the city before a Chongqing title expires (once each)."""
    from django.contrib.auth import get_user_model

    from safecommunity.core.services import notify

    User = get_user_model()
    today = today or timezone.localdate()
    policy = EvaluationPolicy.current()
    horizon = date.fromordinal(today.toordinal() + policy.reminder_days)
    sent = 0
    due = Designation.objects.filter(level=Designation.Level.CITY, outcome=Designation.Outcome.PASSED,
                                     valid_until__isnull=False, valid_until__lte=horizon,
                                     valid_until__gte=today).select_related("creating_unit__org_unit")
    for d in due:
        org = d.creating_unit.org_unit
        district = org.district
        users = list(User.objects.filter(is_active=True, role=Role.CITY))
        users += list(User.objects.filter(is_active=True, role=Role.UNIT, org_unit=org))
        if district:
            users += list(User.objects.filter(is_active=True, role=Role.DISTRICT, org_unit=district))
        sent += notify(users=users, level="warning", url=d.get_absolute_url(),
                       key=f"evaluation-reevaluate-{d.pk}-{d.valid_until}",
                       title=_("%(u)s: the Chongqing Safe Community title expires on %(d)s; apply for "
                               "re-evaluation") % {"u": org.name, "d": d.valid_until})
    return sent
