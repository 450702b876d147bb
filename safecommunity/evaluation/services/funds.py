"""Special funds of a creating unit, their spending with vouchers, and rewards marked paid."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import in_scope, require_role, require_scope
from safecommunity.core.roles import Role
from safecommunity.orgunits.models import CreatingUnit

from ..models import FundSpending, Reward, SpecialFund


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
