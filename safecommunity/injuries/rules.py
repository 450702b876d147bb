"""Validation rules a surveillance officer would apply to one injury case. Pure functions: the
entry form, the API and the bulk import all call `check_case`, so every path applies the same
rules with the same Chinese messages."""

import re
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from . import choices

EARLIEST = date(2000, 1, 1)
_ID18 = re.compile(r"^\d{17}[\dX]$")
_PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id_number_valid(value: str) -> bool:
    """An 18-character resident ID number (GB 11643-1999) with a correct check character."""
    value = value.upper()
    if not _ID18.match(value):
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != value[17]:
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return True


def birth_date_of(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_case(
    *,
    occurred_on: date | None,
    occurred_time: time | None = None,
    age: int | None = None,
    severity_code: str = "",
    outcome_code: str = "",
    outcome_name: str = "",
    id_number: str = "",
    phone: str = "",
    now: datetime | None = None,
) -> list[tuple[str, str]]:
    """Return [(field, message)] for every rule the case breaks (empty: the case is plausible).
    `now` (aware or local naive) may be given once by a caller checking many rows."""
    errors: list[tuple[str, str]] = []
    if now is None or timezone.is_aware(now):
        now = timezone.localtime(now or timezone.now())
    today = now.date()
    if occurred_on is not None:
        if occurred_on > today:
            errors.append(("occurred_on", _("The date of injury %(date)s lies in the future.") % {"date": occurred_on}))
        elif occurred_on == today and occurred_time is not None and occurred_time > now.time():
            errors.append(("occurred_time", _("The time of injury lies in the future.")))
        elif occurred_on < EARLIEST:
            errors.append(("occurred_on", _("The date of injury is before 2000; check the year.")))
    if age is not None and not 0 <= age <= choices.MAX_AGE:
        errors.append(("age", _("Age must be between 0 and %(max)s.") % {"max": choices.MAX_AGE}))
    if severity_code == choices.SEVERITY_DEATH and outcome_code and outcome_code != choices.OUTCOME_DEATH:
        errors.append(
            ("outcome", _("A case with severity “death” cannot have the outcome “%(outcome)s”.") % {
                "outcome": outcome_name or outcome_code})
        )
    elif outcome_code == choices.OUTCOME_DEATH and severity_code and severity_code != choices.SEVERITY_DEATH:
        errors.append(("severity", _("The outcome is “death”: the severity must be “death” too.")))
    if id_number:
        if not id_number_valid(id_number):
            errors.append(("id_number", _("The ID number is not a valid 18-character resident ID number.")))
        elif occurred_on is not None:
            birth = birth_date_of(id_number.upper())
            if birth > occurred_on:
                errors.append(("id_number", _("The birth date in the ID number is after the date of injury.")))
            elif age is not None and abs(age_on(birth, occurred_on) - age) > 1:
                errors.append(
                    ("age", _("Age %(age)s does not match the birth date in the ID number (%(real)s on the day).") % {
                        "age": age, "real": age_on(birth, occurred_on)})
                )
    if phone and not _PHONE.match(phone):
        errors.append(("phone", _("The phone number may contain only digits, spaces, + and - (7 to 20 characters).")))
    return errors
