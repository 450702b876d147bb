"""The yearly plan: the city's targets and each district's category, percentage and quota."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import OrgUnit

from ..choices import DEFAULT_PERCENTAGE, MAIN_URBAN_CODES, NOTICE_TARGETS, DistrictCategory


def default_targets(year: int) -> dict:
    """The notice's figures for 2010 and 2012; another year starts from the latest earlier plan."""
    from ..models import PlanYear

    if year in NOTICE_TARGETS:
        return dict(NOTICE_TARGETS[year])
    previous = PlanYear.objects.filter(year__lt=year).order_by("-year").first()
    if previous is not None:
        return {f: getattr(previous, f) for f in ("targets_cumulative", "target_launched", "target_city",
                                                  "target_national", "target_international",
                                                  "target_international_max")}
    return dict(NOTICE_TARGETS[2012])


def default_category(district: OrgUnit) -> str:
    return DistrictCategory.MAIN_URBAN if district.code in MAIN_URBAN_CODES else DistrictCategory.OTHER


@transaction.atomic
def plan_year_open(*, year: int, actor, **targets):
    """Open a plan year: targets (the notice's defaults unless given) and one row per district.

    Each district keeps the category and percentage of the latest earlier plan (edits carry
    over); else the nine main urban districts are preset at 30%, the others at 20%.
    """
    from ..models import DistrictPlan, PlanYear

    require_role(actor, Role.CITY)
    if PlanYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The plan for %(year)s is already open.") % {"year": year}})
    values = default_targets(year)
    values.update({k: v for k, v in targets.items() if v is not None or k == "target_international_max"})
    plan = PlanYear(year=year, created_by=actor, **values)
    plan.full_clean()
    if plan.target_international_max is not None and plan.target_international_max < plan.target_international:
        raise ValidationError({"target_international_max": _("The upper figure cannot be below the lower one.")})
    plan.save()
    previous = {
        row.org_unit_id: row
        for row in DistrictPlan.objects.filter(plan_year__year__lt=year).order_by("plan_year__year")
    }  # the latest earlier row of each district wins
    counts = dict(
        OrgUnit.objects.townships().filter(is_active=True).values("parent_id").annotate(n=Count("pk"))
        .values_list("parent_id", "n")
    )
    rows = []
    for district in OrgUnit.objects.districts().filter(is_active=True):
        before = previous.get(district.pk)
        category = before.category if before else default_category(district)
        percentage = before.percentage if before else DEFAULT_PERCENTAGE[category]
        rows.append(DistrictPlan(plan_year=plan, org_unit=district, category=category, percentage=percentage,
                                 township_count=counts.get(district.pk, 0), created_by=actor))
    for row in rows:  # one by one, so that the audit trail records each row
        row.save()
    return plan


TARGET_FIELDS = ("targets_cumulative", "target_launched", "target_city", "target_national", "target_international",
                 "target_international_max", "notes")


@transaction.atomic
def plan_year_update(*, plan, actor, **values):
    """Edit the city targets of a plan year."""
    require_role(actor, Role.CITY)
    plan = type(plan).objects.select_for_update().get(pk=plan.pk)
    for field, value in values.items():
        if field not in TARGET_FIELDS:
            raise ValidationError({field: _("This field cannot be changed.")})
        setattr(plan, field, value)
    plan.full_clean()
    if plan.target_international_max is not None and plan.target_international_max < plan.target_international:
        raise ValidationError({"target_international_max": _("The upper figure cannot be below the lower one.")})
    plan.save()
    return plan


@transaction.atomic
def district_plan_update(*, row, actor, category: str, percentage):
    """Change a district's category and percentage for the year; the quota follows."""
    require_role(actor, Role.CITY)
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if category not in DistrictCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    row.category = category
    row.percentage = percentage
    row.full_clean()
    row.save(update_fields=["category", "percentage", "updated_at"])
    return row
