"""The 待办 inbox: a launched creating unit's safety areas with neither an injury record nor a nil
report (零报告) for last month, due by the end of this month."""

import calendar
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.models import CodeItem
from safecommunity.core.roles import Role
from safecommunity.core.todos import Todo
from safecommunity.orgunits.models import CreatingUnit

from . import choices
from .models import InjuryRecord, NilReport

# Every model whose table todos() reads: its items stay cached until one of them changes.
DEPENDS_ON = (
    "core.CodeItem",
    "core.CodeList",
    "injuries.InjuryRecord",
    "injuries.NilReport",
    "orgunits.CreatingUnit",
    "orgunits.OrgUnit",
)


def todos(user) -> list[Todo]:
    unit = user.creating_unit if user.role == Role.UNIT else None
    if unit is None or unit.status == CreatingUnit.Status.NOT_STARTED:
        return []
    today = timezone.localdate()
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    covered = set(InjuryRecord.objects.filter(org_unit_id=unit.org_unit_id, occurred_on__year=month.year,
                                              occurred_on__month=month.month).values_list("safety_area_id", flat=True))
    covered |= set(NilReport.objects.filter(org_unit_id=unit.org_unit_id, month=month)
                   .values_list("safety_area_id", flat=True))
    missing = [str(a) for a in CodeItem.objects.of(choices.SAFETY_AREA).active().order_by("sort_order")
               if a.pk not in covered]
    if not missing:
        return []
    deadline = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    title = _("%(month)s: %(n)s safety areas without injury records or a nil report (%(areas)s)") % {
        "month": f"{month:%Y-%m}", "n": len(missing), "areas": "、".join(missing)}
    return [Todo(kind=_("Nil reports due"), title=title, url=reverse("injuries:nil_create"), deadline=deadline,
                 key=f"injuries.nil.{unit.org_unit_id}.{month:%Y-%m}")]
