"""Responsibility letters (city–district, district–unit) and the year-end assessment of each
district against its targets."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import CreatingUnit, OrgUnit

from ..choices import LetterLevel
from .lifecycle import S, upload_check


def _letter_level_check(*, actor, org_unit: OrgUnit, level: str) -> None:
    if level == LetterLevel.CITY_DISTRICT:
        require_role(actor, Role.CITY)
        if org_unit.level != OrgUnit.Level.DISTRICT:
            raise ValidationError({"org_unit": _("A city–district letter is signed with a district or county.")})
    elif level == LetterLevel.DISTRICT_UNIT:
        require_role(actor, Role.DISTRICT, Role.CITY)
        if not org_unit.is_creating_level:
            raise ValidationError({"org_unit": _("A district–unit letter is signed with a creating unit.")})
        require_scope(actor, org_unit)
    else:
        raise ValidationError({"level": _("Choose the level of the letter.")})


LETTER_FIELDS = ("target_launched", "target_designated", "targets", "upper_signatory", "lower_signatory",
                 "signed_on")


@transaction.atomic
def letter_save(*, actor, letter=None, year: int | None = None, level: str | None = None,
                org_unit: OrgUnit | None = None, uploaded=None, **values):
    """Create (no `letter`) or edit a responsibility letter, with its scanned file if uploaded."""
    from safecommunity.archive.services import attachment_create

    from ..models import ResponsibilityLetter

    if letter is None:
        if org_unit is None:
            raise ValidationError({"org_unit": _("Choose the signing unit.")})
        _letter_level_check(actor=actor, org_unit=org_unit, level=level)
        letter = ResponsibilityLetter(year=year, level=level, org_unit=org_unit, created_by=actor)
    else:
        letter = ResponsibilityLetter.objects.select_for_update().select_related("org_unit").get(pk=letter.pk)
        _letter_level_check(actor=actor, org_unit=letter.org_unit, level=letter.level)
    for field, value in values.items():
        if field not in LETTER_FIELDS:
            raise ValidationError({field: _("This field cannot be changed.")})
        setattr(letter, field, value)
    if letter.signed_on and letter.signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    letter.full_clean(validate_unique=False, validate_constraints=False)
    if ResponsibilityLetter.objects.filter(year=letter.year, org_unit=letter.org_unit).exclude(pk=letter.pk).exists():
        raise ValidationError({"org_unit": _("%(unit)s already has a letter for %(year)s.")
                               % {"unit": letter.org_unit, "year": letter.year}})
    if uploaded is not None:
        upload_check(uploaded, field="document")
    letter.save()
    if uploaded is not None:
        letter.document = attachment_create(uploaded=uploaded, org_unit=letter.org_unit, actor=actor, obj=letter,
                                            role="responsibility_letter", title=str(letter),
                                            document_date=letter.signed_on)
        letter.save(update_fields=["document", "updated_at"])
    return letter


def district_actuals(*, district: OrgUnit, year: int) -> dict:
    """Units of the district launched and designated (Chongqing title) in `year`."""
    from ..models import CreationTransition

    launched = CreatingUnit.objects.filter(org_unit__parent=district, launch_year=year).count()
    designated = (
        CreationTransition.objects.filter(creating_unit__org_unit__parent=district, to_status=S.CITY,
                                          effective_on__year=year)
        .values("creating_unit").distinct().count()
    )
    return {"actual_launched": launched, "actual_designated": designated}


@transaction.atomic
def assessment_save(*, actor, district: OrgUnit, year: int, score, remarks: str = "",
                    target_launched: int | None = None, target_designated: int | None = None):
    """Record (or update) the year-end assessment of a district.

    Targets default to the district's quota of the plan year and the designations of its
    responsibility letter; the actual figures are counted from the records.
    """
    from ..models import DistrictAssessment, DistrictPlan, ResponsibilityLetter

    require_role(actor, Role.CITY)
    if district is None or district.level != OrgUnit.Level.DISTRICT:
        raise ValidationError({"org_unit": _("Choose a district or county.")})
    row = DistrictAssessment.objects.select_for_update().filter(year=year, org_unit=district).first()
    if row is None:
        row = DistrictAssessment(year=year, org_unit=district, created_by=actor)
    if target_launched is None:
        plan_row = DistrictPlan.objects.filter(plan_year__year=year, org_unit=district).first()
        letter = ResponsibilityLetter.objects.filter(year=year, org_unit=district).first()
        if letter and letter.target_launched is not None:
            target_launched = letter.target_launched
        else:
            target_launched = plan_row.quota if plan_row else 0
    if target_designated is None:
        letter = ResponsibilityLetter.objects.filter(year=year, org_unit=district).first()
        target_designated = (letter.target_designated or 0) if letter else 0
    row.target_launched = target_launched
    row.target_designated = target_designated
    for key, value in district_actuals(district=district, year=year).items():
        setattr(row, key, value)
    row.score = score
    row.remarks = remarks
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    return row
