"""Every write of the evaluation app. Keyword-only, `actor` first-class, atomic; bad input raises
ValidationError naming the field and changes nothing; a role or scope that may not act raises
PermissionDenied.

Application workflow (TRANSITIONS; STEP_ROLES says who makes each move):

    draft ──submit──▶ submitted ──forward──▶ forwarded ──assign panel──▶ evaluating
      ▲                   │ return                                          │ decide (final scores)
      └── returned ◀──────┘ (resubmit: returned → submitted)                ▼
                                                  designated ◀──confirm── decided ──confirm──▶ rejected
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.creation.services import creating_unit_transition
from safecommunity.orgunits.models import CreatingUnit

from .models import (
    Application,
    ApplicationStep,
    Designation,
    EvaluationPolicy,
    ExpertProfile,
    ExpertScore,
    FinalScore,
    FundSpending,
    Grade,
    PanelMember,
    Rectification,
    Reward,
    RewardRate,
    Scheme,
    SchemeItem,
    SelfScore,
    SpecialFund,
)

S = Application.Status
R = Application.Result
CENT = Decimal("0.01")

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.FORWARDED, S.RETURNED},
    S.RETURNED: {S.SUBMITTED},
    S.FORWARDED: {S.EVALUATING},
    S.EVALUATING: {S.DECIDED},
    S.DECIDED: {S.DESIGNATED, S.REJECTED},
    S.DESIGNATED: set(),
    S.REJECTED: set(),
}
STEP_ROLES: dict[str, set[str]] = {
    S.SUBMITTED: {Role.UNIT, Role.DISTRICT, Role.CITY},
    S.FORWARDED: {Role.DISTRICT, Role.CITY},
    S.RETURNED: {Role.DISTRICT, Role.CITY},
    S.EVALUATING: {Role.CITY},
    S.DECIDED: {Role.CITY, Role.EXPERT},
    S.DESIGNATED: {Role.CITY},
    S.REJECTED: {Role.CITY},
}
APPLYING_FROM = {CreatingUnit.Status.LAUNCHED, CreatingUnit.Status.RETURNED, CreatingUnit.Status.EXPIRED}


def _move(application: Application, to: str, actor, note: str = "") -> None:
    if to not in TRANSITIONS.get(application.status, set()):
        raise ValidationError(
            _("The application is “%(current)s”; it cannot become “%(target)s”.")
            % {"current": S(application.status).label, "target": S(to).label}
        )
    if not (actor.is_superuser or actor.role in STEP_ROLES[to]):
        raise PermissionDenied(_("Your role may not do this."))
    ApplicationStep.objects.create(application=application, from_status=application.status, to_status=to,
                                   actor=actor, note=note)
    application.status = to


def _may_step(application: Application, to: str, role: str) -> bool:
    return to in TRANSITIONS.get(application.status, set()) and role in STEP_ROLES[to]


def allowed_actions(obj: Application, user) -> set[str]:
    """What `user` may do with the application now, read from the one transition table
    (TRANSITIONS, STEP_ROLES) and the panel; pages show a button per action, services still check.

    edit_self (self-assessment, work report), submit, review (forward/return), assign (panel),
    open_scoring (before the site visit), score (await_scoring: a panel member before the site
    visit), consolidate, confirm, rectify, report."""
    role = "city" if user.is_superuser else user.role
    office = role in (Role.UNIT, Role.DISTRICT, Role.CITY)
    member = PanelMember.objects.filter(application=obj, expert=user).first() if role == Role.EXPERT else None
    actions = set()
    if office and _may_step(obj, S.SUBMITTED, role):
        actions |= {"edit_self", "submit"}
    if _may_step(obj, S.FORWARDED, role) and _may_step(obj, S.RETURNED, role):
        actions.add("review")
    if _may_step(obj, S.EVALUATING, role):
        actions.add("assign")
    if S.DECIDED in TRANSITIONS.get(obj.status, set()):
        if role == Role.CITY and not obj.scoring_open():
            actions.add("open_scoring")
        if member is not None and member.submitted_at is None and obj.scoring_open():
            actions.add("score")
        if member is not None and not obj.scoring_open():
            actions.add("await_scoring")  # a panel member's scoring opens on the site-visit date
        if (role == Role.CITY or (member is not None and member.is_lead)) and may_see_all_scores(obj, user):
            actions.add("consolidate")
    if _may_step(obj, S.DESIGNATED, role):
        actions.add("confirm")
    if office and obj.status == S.DECIDED:
        actions.add("rectify")
    if obj.status in (S.DECIDED, S.DESIGNATED, S.REJECTED):
        actions.add("report")
    return actions


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("scheme", "creating_unit", "org_unit").get(
        pk=application.pk)


# ---------------------------------------------------------------- scoring rules

def item_points(scheme: Scheme, item: SchemeItem, presence: str, evidence: str, effect: str) -> Decimal:
    """Points of one item: each part's points times its grade's percentage. A part that does
    not apply to the item (0 points) takes no grade."""
    total = Decimal(0)
    for name, grade in (("presence", presence), ("evidence", evidence), ("effect", effect)):
        points = getattr(item, f"{name}_points")
        if not points:
            continue
        if grade not in Grade.values:
            raise ValidationError({name: _("Item %(n)s: choose a grade a, b, c or d.") % {"n": item.number}})
        total += points * scheme.grade_pct(grade)
    return (total / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def _applicable(item: SchemeItem, presence: str, evidence: str, effect: str) -> tuple[str, str, str]:
    """The grades kept: blank for a part that does not apply."""
    return tuple(g if getattr(item, f"{p}_points") else "" for p, g in
                 (("presence", presence), ("evidence", evidence), ("effect", effect)))


def scheme_result(scheme: Scheme, total: Decimal, has_zero_item: bool) -> str:
    """The scheme's rule: pass / pass after rectification / fail."""
    total = Decimal(total)
    if has_zero_item and scheme.zero_item_fails:
        return R.FAIL
    if total >= scheme.pass_total:
        return R.PASS
    if scheme.rectify_total is not None and total >= scheme.rectify_total:
        return R.RECTIFY
    return R.FAIL


def _set_graded(obj, scheme, item, presence, evidence, effect, comment):
    obj.points = item_points(scheme, item, presence, evidence, effect)
    obj.presence, obj.evidence, obj.effect = _applicable(item, presence, evidence, effect)
    obj.comment = (comment or "").strip()


def _scheme_item(application: Application, item) -> SchemeItem:
    item_obj = item if isinstance(item, SchemeItem) else SchemeItem.objects.filter(pk=item).first()
    if item_obj is None or item_obj.scheme_id != application.scheme_id:
        raise ValidationError({"item": _("This item is not part of the application's scheme.")})
    return item_obj


# ---------------------------------------------------------------- schemes (city office)

RULE_FIELDS = ("pass_total", "rectify_total", "zero_item_fails", "grade_a_pct", "grade_b_pct", "grade_c_pct",
               "grade_d_pct", "declared_total")


def _require_unused(scheme: Scheme) -> None:
    if scheme.pk and scheme.in_use():
        raise ValidationError(_("“%(s)s” is used by an application and is never changed: upload the table again "
                                "to make a new version.") % {"s": scheme.name})


@transaction.atomic
def scheme_save(*, actor, scheme: Scheme) -> Scheme:
    require_role(actor, Role.CITY)
    if scheme.pk:
        stored = Scheme.objects.get(pk=scheme.pk)
        if any(getattr(stored, f) != getattr(scheme, f) for f in RULE_FIELDS):
            _require_unused(stored)
    if not scheme.family:
        scheme.family = scheme.code
    if scheme.rectify_total is not None and scheme.rectify_total > scheme.pass_total:
        raise ValidationError({"rectify_total": _("The rectification mark must not exceed the pass mark.")})
    if not (scheme.grade_a_pct >= scheme.grade_b_pct >= scheme.grade_c_pct >= scheme.grade_d_pct):
        raise ValidationError({"grade_b_pct": _("Grade percentages must fall from a to d.")})
    scheme.full_clean()
    scheme.save()
    if scheme.is_default:
        Scheme.objects.exclude(pk=scheme.pk).update(is_default=False)
    return scheme


@transaction.atomic
def scheme_item_save(*, actor, item: SchemeItem) -> SchemeItem:
    require_role(actor, Role.CITY)
    _require_unused(item.scheme)
    if item.pk is None and item.number is None:
        item.number = (item.scheme.items.aggregate(m=Max("number"))["m"] or 0) + 1
    for field in ("presence_points", "evidence_points", "effect_points"):
        value = getattr(item, field)
        if value is None or value < 0:
            raise ValidationError({field: _("Points cannot be negative.")})
    item.full_clean()
    item.save()
    return item


def _city_setting_save(actor, obj):
    require_role(actor, Role.CITY)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def policy_save(*, actor, policy: EvaluationPolicy) -> EvaluationPolicy:
    """The city's rule parameters (one row): months before applying, validity, reminders…"""
    return _city_setting_save(actor, policy)


@transaction.atomic
def reward_rate_save(*, actor, rate: RewardRate) -> RewardRate:
    """The reward paid for a designation level."""
    require_role(actor, Role.CITY)
    if rate.amount is None or rate.amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    return _city_setting_save(actor, rate)


@transaction.atomic
def expert_profile_save(*, actor, profile: ExpertProfile) -> ExpertProfile:
    """An expert's entry in the pool (field, affiliation, home district, active)."""
    return _city_setting_save(actor, profile)


def _next_code(family: str, version: int) -> str:
    code = f"{family}-v{version}"
    while Scheme.objects.filter(code=code).exists():
        version += 1
        code = f"{family}-v{version}"
    return code


@transaction.atomic
def scheme_import(*, actor, data: bytes) -> Scheme:
    """Load a scheme from the Excel template, checked as one unit (nothing is saved on any
    problem). A new code makes a new scheme; the code of an existing scheme replaces its
    content if no application uses it, else makes a new version (the old one stays as it is
    for its applications and is no longer offered)."""
    from . import scheme_excel

    require_role(actor, Role.CITY)
    parsed = scheme_excel.parse(data)
    if parsed.errors:
        raise ValidationError({"file": parsed.errors})
    s = parsed.settings
    rule = {k: s[k] for k in ("name", "purpose", "declared_total", "pass_total", "rectify_total", "zero_item_fails",
                              "grade_a_pct", "grade_b_pct", "grade_c_pct", "grade_d_pct", "description")}
    current = (Scheme.objects.filter(family=s["code"]).order_by("-version", "-pk").first()
               or Scheme.objects.filter(code=s["code"]).first())
    if current is None:
        scheme = Scheme(code=s["code"], family=s["code"], version=1, **rule)
    elif not current.in_use():
        scheme = current
        for k, v in rule.items():
            setattr(scheme, k, v)
        scheme.items.all().delete()
    else:
        family = current.family or current.code
        scheme = Scheme(code=_next_code(family, current.version + 1), family=family, version=current.version + 1,
                        previous=current, is_default=current.is_default, **rule)
        Scheme.objects.filter(pk=current.pk).update(is_active=False, is_default=False)
    scheme.full_clean()
    scheme.save()
    items = [SchemeItem(scheme=scheme, **item) for item in parsed.items]
    for item in items:
        item.full_clean(exclude=["scheme"])
    SchemeItem.objects.bulk_create(items)
    if scheme.is_default:
        Scheme.objects.exclude(pk=scheme.pk).update(is_default=False)
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(scheme, action=LogEntry.Action.UPDATE, actor=actor, force_log=True,
                                changes={"items": ["", f"{len(items)} items loaded from Excel"]})
    return scheme


def scheme_diff(old: Scheme, new: Scheme) -> dict:
    """What changed between two schemes (versions): rule settings and items by number."""
    rules = []
    for f in ("name", "declared_total", "pass_total", "rectify_total", "zero_item_fails", "grade_a_pct",
              "grade_b_pct", "grade_c_pct", "grade_d_pct"):
        a, b = getattr(old, f), getattr(new, f)
        if a != b:
            rules.append({"field": Scheme._meta.get_field(f).verbose_name, "old": a, "new": b})
    olds = {i.number: i for i in old.items.select_related("element")}
    news = {i.number: i for i in new.items.select_related("element")}
    fields = ("element_id", "heading", "text", "expected_evidence", "presence_points", "evidence_points",
              "effect_points")
    changed = []
    for n in sorted(olds.keys() & news.keys()):
        diffs = [(SchemeItem._meta.get_field(f.removesuffix("_id")).verbose_name, getattr(olds[n], f.removesuffix(
            "_id")) if f.endswith("_id") else getattr(olds[n], f), getattr(news[n], f.removesuffix("_id"))
            if f.endswith("_id") else getattr(news[n], f)) for f in fields if getattr(olds[n], f) != getattr(news[n], f)]
        if diffs:
            changed.append({"number": n, "old": olds[n], "new": news[n], "fields": diffs})
    return {"rules": rules, "added": [news[n] for n in sorted(news.keys() - olds.keys())],
            "removed": [olds[n] for n in sorted(olds.keys() - news.keys())], "changed": changed}


# ---------------------------------------------------------------- application and self-assessment

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


# ---------------------------------------------------------------- experts

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


def may_see_all_scores(application: Application, user) -> bool:
    """Blindness: an expert sees the others' scores only after submitting their own."""
    if user.is_superuser or user.role == Role.CITY:
        return True
    if user.role == Role.EXPERT:
        return PanelMember.objects.filter(application=application, expert=user, submitted_at__isnull=False).exists()
    return False


def visible_expert_scores(application: Application, user):
    qs = ExpertScore.objects.filter(member__application=application).select_related("member__expert", "item")
    if may_see_all_scores(application, user):
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(member__expert=user)
    return qs.none()


GRADE_STEP = {g: n for n, g in enumerate(Grade.values)}  # a 0, b 1, c 2, d 3


def grade_spread(scores) -> int:
    """The largest difference, in grades, between the experts on any part of an item."""
    widest = 0
    for part in ("presence", "evidence", "effect"):
        steps = [GRADE_STEP[getattr(s, part)] for s in scores if getattr(s, part)]
        if steps:
            widest = max(widest, max(steps) - min(steps))
    return widest


def score_spread(application: Application) -> list[dict]:
    """Per item: every expert's points, the spread of points (max − min) and of grades, the mean,
    and whether the experts differ by more than one grade on a part (flagged)."""
    by_item: dict[int, list] = {}
    for s in ExpertScore.objects.filter(member__application=application).select_related("member__expert"):
        by_item.setdefault(s.item_id, []).append(s)
    rows = []
    for item in application.scheme.items.select_related("element"):
        scores = by_item.get(item.pk, [])
        points = [s.points for s in scores]
        spread = (max(points) - min(points)) if points else Decimal(0)
        mean = (sum(points, Decimal(0)) / len(points)).quantize(CENT) if points else None
        grades = grade_spread(scores)
        rows.append({"item": item, "scores": scores, "spread": spread, "mean": mean, "grade_spread": grades,
                     "disagree": bool(points) and grades > 1})
    return rows


def departs_from_mean(item: SchemeItem, points: Decimal, mean: Decimal | None) -> bool:
    """The consolidated score departs from the experts' mean by more than a tenth of the item's points."""
    return mean is not None and abs(points - mean) > item.max_points / Decimal(10)


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


# ---------------------------------------------------------------- decision and designation

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


# ---------------------------------------------------------------- funds and rewards

@transaction.atomic
def fund_save(*, actor, creating_unit: CreatingUnit, year: int, budget: Decimal, note: str = "") -> SpecialFund:
    require_role(actor, Role.UNIT, Role.DISTRICT, Role.CITY)
    require_scope(actor, creating_unit.org_unit)
    if budget is None or budget < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})
    fund, _created = SpecialFund.objects.update_or_create(creating_unit=creating_unit, year=year,
                                                         defaults={"budget": budget, "note": note})
    return fund


@transaction.atomic
def spending_create(*, actor, fund: SpecialFund, spent_on: date, item: str, amount: Decimal,
                    vouchers=()) -> FundSpending:
    from safecommunity.archive.services import attachment_create

    require_role(actor, Role.UNIT, Role.DISTRICT, Role.CITY)
    require_scope(actor, fund.creating_unit.org_unit)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    if not (item or "").strip():
        raise ValidationError({"item": _("Name the spending item.")})
    if spent_on is None or spent_on.year != fund.year:
        raise ValidationError({"spent_on": _("The date must fall in the fund's year %(y)s.") % {"y": fund.year}})
    spending = FundSpending.objects.create(fund=fund, spent_on=spent_on, item=item.strip(), amount=amount,
                                           recorded_by=actor)
    from safecommunity.core.models import CodeItem

    element = CodeItem.objects.of("aqt_element").filter(code="E01").first()
    for uploaded in vouchers:
        try:
            attachment_create(uploaded=uploaded, org_unit=fund.creating_unit.org_unit, actor=actor, obj=spending,
                              role="voucher", element=element, title=_("Voucher: %(i)s") % {"i": spending.item},
                              document_date=spent_on)
        except ValidationError as exc:
            raise ValidationError({"vouchers": exc.messages}) from exc
    return spending


@transaction.atomic
def reward_mark_paid(*, actor, reward: Reward, paid_on: date) -> Reward:
    require_role(actor, Role.DISTRICT, Role.CITY)
    if not in_scope(actor, reward.district):
        raise PermissionDenied(_("%(unit)s is outside your area of responsibility.") % {"unit": reward.district})
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("Give the payment date (not in the future).")})
    reward.paid_on = paid_on
    reward.save(update_fields=["paid_on"])
    return reward
