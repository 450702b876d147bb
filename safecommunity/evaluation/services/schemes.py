"""The city office's settings: evaluation schemes (edited, or loaded from the Excel template as
a new version), the policy, reward rates and the expert pool."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role
from safecommunity.core.roles import Role

from ..models import EvaluationPolicy, ExpertProfile, RewardRate, Scheme, SchemeItem

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
    from .. import scheme_excel

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
