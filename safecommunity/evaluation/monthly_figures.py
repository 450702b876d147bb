"""Figures for the monthly progress report: special-fund money spent in the month."""

from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from safecommunity.core.plugins import Figure

from .models import FundSpending

FIGURES = [Figure(key="special_fund_spent", label=_("Special fund spent (yuan)"), order=90, unit=_("yuan"))]


def monthly_figures(*, creating_unit_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    end = date(period.year + (period.month == 12), period.month % 12 + 1, 1)
    rows = (FundSpending.objects.filter(fund__creating_unit_id__in=creating_unit_ids, spent_on__gte=period,
                                        spent_on__lt=end)
            .values("fund__creating_unit_id").annotate(total=Sum("amount")))
    return {r["fund__creating_unit_id"]: {"special_fund_spent": int(r["total"] or 0)} for r in rows}
