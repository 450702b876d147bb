"""Validators every app shares."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = date(1900, 1, 1)


def latest_date() -> date:
    today = timezone.localdate()
    years = settings.DATE_MAX_YEARS_AHEAD
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def plausible_date(value) -> None:
    """A date a record can hold: from 1900-01-01 to DATE_MAX_YEARS_AHEAD years after today. Stops
    9999-12-31 and 0001-01-01 (a typo, a spreadsheet's empty date) before they are saved."""
    if value is None:
        return
    high = latest_date()
    if not EARLIEST_DATE <= value <= high:
        raise ValidationError(
            _("Enter a date between %(low)s and %(high)s."), code="date_range",
            params={"low": EARLIEST_DATE.isoformat(), "high": high.isoformat()})


def install_date_validators() -> None:
    """Give every date field of our models `plausible_date` (core's ready()): the models'
    full_clean(), the model forms and the API serializers then all refuse an absurd date,
    naming the field. Added to the field's default validators, which migrations do not record."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if not model.__module__.startswith("safecommunity."):
            continue
        for field in model._meta.concrete_fields:
            if type(field) is models.DateField and plausible_date not in field.default_validators:
                field.default_validators = [*type(field).default_validators, plausible_date]
                field.__dict__.pop("validators", None)  # recomputed with it


def check_dates(**values) -> None:
    """`plausible_date` for a service that sets dates without `full_clean()`: a ValidationError
    naming each field whose date is absurd."""
    errors = {}
    for field, value in values.items():
        try:
            plausible_date(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
