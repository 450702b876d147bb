"""Fixed vocabularies of injury surveillance that are not city-editable code lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Code list keys (core.CodeList.key); items are data, seeded by migration 0002.
SAFETY_AREA = "safety_area"
MECHANISM = "injury_mechanism"
PLACE = "injury_place"
ACTIVITY = "injury_activity"
INTENT = "injury_intent"
NATURE = "injury_nature"
BODY_PART = "injury_body_part"
SEVERITY = "injury_severity"
OUTCOME = "injury_outcome"
SOURCE_KIND = "injury_source_kind"

# Codes the validation rules refer to (stable identifiers; names are editable).
SEVERITY_DEATH = "death"
OUTCOME_DEATH = "death"
OUTCOME_RECOVERED = "recovered"

MAX_AGE = 120


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", pgettext_lazy("sex", "Unknown")


# Age bands of the population table and of every analysis by age: (code, first age, last age).
AGE_BANDS = [
    ("0-4", 0, 4),
    ("5-14", 5, 14),
    ("15-24", 15, 24),
    ("25-44", 25, 44),
    ("45-59", 45, 59),
    ("60-74", 60, 74),
    ("75+", 75, 200),
]
AGE_BAND_CODES = [b[0] for b in AGE_BANDS]
AGE_UNKNOWN = "unknown"
_BAND_BY_AGE = {age: code for code, lo, hi in AGE_BANDS for age in range(lo, min(hi, 130) + 1)}


def age_band(age: int | None) -> str:
    if age is None:
        return AGE_UNKNOWN
    return _BAND_BY_AGE.get(age, AGE_UNKNOWN)


def age_band_label(code: str) -> str:
    if code == AGE_UNKNOWN:
        return str(_("Age unknown"))
    return f"{code}岁" if not code.endswith("+") else f"{code[:-1]}岁及以上"
