"""On an org unit's page: its hazards and risk registers in figures."""

from django.urls import reverse

from .selectors import unit_summary


def unit_panels(request, org_unit, creating_unit):
    user = request.user
    summary = unit_summary(user, org_unit)
    if not summary["total"] and not any(n for _label, n in summary["registers"]):
        if creating_unit is None:
            return []
    district = org_unit.district
    link = reverse("hazards:hazard_list")
    if district is not None:
        link += f"?district={district.code}"
    summary.update(org_unit=org_unit, list_url=link)
    return [{"template": "hazards/panel_unit.html", "context": summary, "order": 30}]
