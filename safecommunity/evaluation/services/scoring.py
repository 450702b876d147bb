"""Scoring rules and who sees which scores: an item's points from its grades, the scheme's
pass/rectify/fail rule, the experts' blindness until they submit, and the spread between experts.
No writes."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safecommunity.core.roles import Role

from ..models import Application, ExpertScore, Grade, PanelMember, Scheme, SchemeItem

R = Application.Result
CENT = Decimal("0.01")


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
