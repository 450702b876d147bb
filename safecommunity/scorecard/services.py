"""The city sets each rule's minimum per year (and whether it is counted)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role

from . import permissions
from .models import RuleSetting
from .selectors import all_obligations

MAX_MINIMUM = 100000


@transaction.atomic
def rule_setting_set(*, year: int, key: str, minimum, is_active: bool = True, actor) -> RuleSetting:
    require_role(actor, *permissions.rules.roles)
    if key not in {o.key for o in all_obligations()}:
        raise ValidationError({"key": _("Unknown rule: %(key)s.") % {"key": key}})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    try:
        minimum = int(minimum)
    except (TypeError, ValueError):
        raise ValidationError({"minimum": _("The minimum must be a whole number.")}) from None
    if not 0 <= minimum <= MAX_MINIMUM:
        raise ValidationError({"minimum": _("The minimum must be between 0 and %(max)d.") % {"max": MAX_MINIMUM}})
    setting, _created = RuleSetting.objects.select_for_update().get_or_create(
        year=year, key=key, defaults={"minimum": minimum, "is_active": is_active, "updated_by": actor})
    setting.minimum, setting.is_active, setting.updated_by = minimum, is_active, actor
    setting.full_clean()
    setting.save()
    return setting
