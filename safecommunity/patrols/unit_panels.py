"""On an org unit's page: its patrol points in figures (missed patrols in red)."""

from .selectors import unit_figures


def unit_panels(request, org_unit, creating_unit):
    if getattr(request.user, "role", None) not in ("city", "district", "unit") and not request.user.is_superuser:
        return []
    figures = unit_figures(request.user, org_unit)
    if not figures["points"] and not figures["this_month"]:
        return []
    return [{"template": "patrols/panel_unit.html", "context": figures, "order": 35}]
