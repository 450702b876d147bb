"""The expert panel: who may sit on it, its assignment, the experts' blind scoring, the agreed
(final) scores and the decision by the scheme's rule."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role
from safecommunity.core.roles import Role

from ..models import (
    Application,
    ApplicationStep,
    ExpertProfile,
    ExpertScore,
    FinalScore,
    PanelMember,
    Rectification,
)
from .scoring import CENT, _scheme_item, _set_graded, departs_from_mean, scheme_result
from .workflow import S, _locked, _move


def assignable(expert, application: Application) -> str:
    """'' if the expert may sit on the panel, else the reason (conflict rule)."""
    if expert.role != Role.EXPERT or not expert.is_active:
        return _("%(e)s is not an active expert.") % {"e": expert}
    profile = ExpertProfile.objects.filter(user=expert).select_related("home_district").first()
    if profile is None or not profile.is_active:
        return _("%(e)s is not in the expert pool.") % {"e": expert}
    district = application.org_unit.district
    if profile.home_district_id and district and profile.home_district_id == district.pk:
        return _("%(e)s comes from %(d)s, the applicant's own district (conflict of interest).") % {
            "e": expert, "d": district}
    return ""


@transaction.atomic
def panel_assign(*, application: Application, actor, experts, lead=None, site_visit_on: date | None = None):
    application = _locked(application)
    require_role(actor, Role.CITY)
    experts = list(dict.fromkeys(experts))
    errors = []
    if len(experts) < 2:
        errors.append(_("A panel needs at least two experts."))
    errors += [r for r in (assignable(e, application) for e in experts) if r]
    if errors:
        raise ValidationError({"experts": errors})
    if site_visit_on is None:
        raise ValidationError({"site_visit_on": _("Set the date of the site visit.")})
    if lead is not None and lead not in experts:
        raise ValidationError({"lead": _("The panel lead must be one of the experts.")})
    _move(application, S.EVALUATING, actor)
    application.site_visit_on = site_visit_on
    application.save()
    lead = lead or experts[0]
    for expert in experts:
        PanelMember.objects.create(application=application, expert=expert, is_lead=expert == lead)
    from safecommunity.core.services import notify

    notify(users=experts, title=_("You are on the evaluation panel of %(u)s (site visit %(d)s)") % {
        "u": application.org_unit.name, "d": site_visit_on}, url=application.get_absolute_url(),
        key=f"evaluation-panel-{application.pk}")
    return application


def _member(application: Application, actor) -> PanelMember:
    member = PanelMember.objects.filter(application=application, expert=actor).first()
    if member is None:
        raise PermissionDenied(_("You are not on this application's panel."))
    return member


@transaction.atomic
def expert_score_set(*, application: Application, actor, item, presence: str, evidence: str, effect: str,
                     comment: str = "") -> ExpertScore:
    application = _locked(application)
    member = _member(application, actor)
    if application.status != S.EVALUATING:
        raise ValidationError(_("Scores can only be entered during the expert evaluation."))
    if not application.scoring_open():
        raise ValidationError(_("Scoring opens on the site-visit date, %(d)s.") % {"d": application.site_visit_on})
    if member.submitted_at:
        raise ValidationError(_("You have submitted your scores; they can no longer be changed."))
    item = _scheme_item(application, item)
    score = ExpertScore.objects.filter(member=member, item=item).first() or ExpertScore(member=member, item=item)
    _set_graded(score, application.scheme, item, presence, evidence, effect, comment)
    score.save()
    return score


@transaction.atomic
def scoring_open_early(*, application: Application, actor, reason: str) -> Application:
    """The city opens expert scoring before the site-visit date; the reason is kept (step table, audit log)."""
    application = _locked(application)
    require_role(actor, Role.CITY)
    if application.status != S.EVALUATING:
        raise ValidationError(_("Scoring can only be opened during the expert evaluation."))
    if application.scoring_open():
        raise ValidationError(_("Scoring is already open."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for opening scoring before the site visit.")})
    application.scoring_opened_at = timezone.now()
    application.scoring_open_reason = reason.strip()
    application.save(update_fields=["scoring_opened_at", "scoring_open_reason", "updated_at"])
    ApplicationStep.objects.create(application=application, from_status=application.status,
                                   to_status=application.status, actor=actor,
                                   note=_("Scoring opened before the site visit: %(r)s") % {"r": reason.strip()})
    return application


@transaction.atomic
def expert_submit(*, application: Application, actor) -> PanelMember:
    application = _locked(application)
    member = _member(application, actor)
    if application.status != S.EVALUATING or member.submitted_at:
        raise ValidationError(_("There is nothing to submit."))
    missing = application.scheme.items.exclude(pk__in=member.scores.values("item_id"))
    if missing.exists():
        raise ValidationError({"scores": _("Score every item first; missing: %(items)s.") % {
            "items": "、".join(str(i.number) for i in missing[:20])}})
    member.submitted_at = timezone.now()
    member.save(update_fields=["submitted_at"])
    return member


def _require_panel_lead_or_city(application: Application, actor) -> None:
    if actor.is_superuser or actor.role == Role.CITY:
        return
    member = _member(application, actor)
    if not member.is_lead:
        raise PermissionDenied(_("Only the panel lead or the city office records the agreed scores."))


@transaction.atomic
def final_score_set(*, application: Application, actor, item, presence: str, evidence: str, effect: str,
                    comment: str = "", departure_reason: str = "") -> FinalScore:
    application = _locked(application)
    _require_panel_lead_or_city(application, actor)
    if application.status != S.EVALUATING:
        raise ValidationError(_("Agreed scores are recorded during the expert evaluation."))
    if application.panel.filter(submitted_at__isnull=True).exists():
        raise ValidationError(_("Every expert must submit their scores before the panel agrees final scores."))
    item = _scheme_item(application, item)
    score = FinalScore.objects.filter(application=application, item=item).first() or FinalScore(
        application=application, item=item)
    _set_graded(score, application.scheme, item, presence, evidence, effect, comment)
    if score.points < item.max_points and not score.comment:
        raise ValidationError({"comment": _("Item %(n)s: explain the deduction in the comment.") % {
            "n": item.number}})
    points = list(ExpertScore.objects.filter(member__application=application, item=item).values_list("points",
                                                                                                     flat=True))
    mean = (sum(points, Decimal(0)) / len(points)).quantize(CENT) if points else None
    score.departure_reason = (departure_reason or "").strip()
    if departs_from_mean(item, score.points, mean) and not score.departure_reason:
        raise ValidationError({"departure_reason": _(
            "Item %(n)s: the consolidated score %(p)s departs from the experts' mean %(m)s; give the reason.") % {
            "n": item.number, "p": score.points, "m": mean}})
    score.save()
    return score


@transaction.atomic
def application_decide(*, application: Application, actor) -> Application:
    """Apply the scheme's rule to the agreed scores; every deduction becomes a rectification item."""
    application = _locked(application)
    _require_panel_lead_or_city(application, actor)
    finals = list(application.final_scores.select_related("item"))
    missing = application.scheme.items.exclude(pk__in=[f.item_id for f in finals])
    if missing.exists():
        raise ValidationError({"final_scores": _("Agree a final score for every item; missing: %(items)s.") % {
            "items": "、".join(str(i.number) for i in missing[:20])}})
    total = sum((f.points for f in finals), Decimal(0))
    has_zero = any(f.points == 0 for f in finals)
    _move(application, S.DECIDED, actor)
    application.final_total = total
    application.result = scheme_result(application.scheme, total, has_zero)
    application.decided_at = timezone.now()
    application.save()
    Rectification.objects.filter(application=application).delete()
    Rectification.objects.bulk_create([
        Rectification(application=application, item=f.item, deduction=f.item.max_points - f.points,
                      description=f.comment or f.item.text)
        for f in finals if f.points < f.item.max_points
    ])
    return application
