"""Blocks on an org unit's page: a creating unit's whole lifecycle history; a district's or the
city's launches against this year's plan."""

from django.utils import timezone

from safecommunity.orgunits.models import OrgUnit

from .models import PlanYear, ResponsibilityLetter
from .selectors import PlanTotals, current_title, plan_rows, unit_history
from .services import allowed_targets


def unit_panels(request, org_unit, creating_unit):
    user = request.user
    panels = []
    if creating_unit is not None:
        title = current_title(creating_unit)
        panels.append({"template": "creation/unit_history.html", "order": 10, "context": {
            "unit": creating_unit,
            "history": list(unit_history(user, creating_unit)),
            "targets": allowed_targets(creating_unit, user),
            "title": title,
            "title_expired": bool(title and title.valid_until and title.valid_until < timezone.localdate()),
        }})
    elif org_unit.level in (OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT):
        year = timezone.localdate().year
        plan = PlanYear.objects.visible_to(user).filter(year__lte=year).order_by("-year").first()
        if plan is not None:
            totals = plan_rows(user, plan)
            if org_unit.level == OrgUnit.Level.DISTRICT:
                rows = [r for r in totals.rows if r.district.pk == org_unit.pk]
                totals = PlanTotals(rows=rows)
                for r in rows:
                    for f in ("townships", "quota", "launched_year", "launched_total", "other_launched",
                              "designated", "gap"):
                        setattr(totals, f, getattr(totals, f) + getattr(r, f))
            if totals.rows:
                panels.append({"template": "creation/district_progress.html", "order": 10, "context": {
                    "plan": plan, "totals": totals,
                    "district": org_unit if org_unit.level == OrgUnit.Level.DISTRICT else None,
                }})
    letters = list(ResponsibilityLetter.objects.visible_to(user).filter(org_unit=org_unit)
                   .select_related("document").order_by("-year")[:10])
    if letters:
        panels.append({"template": "creation/unit_letters.html", "order": 15,
                       "context": {"org_unit": org_unit, "letters": letters}})
    return panels
