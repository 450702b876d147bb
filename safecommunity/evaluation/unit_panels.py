"""Blocks on a creating unit's page: archive completeness and evaluation status."""

from safecommunity.archive.selectors import completeness_summary

from .models import Application, Designation


def unit_panels(request, org_unit, creating_unit) -> list[dict]:
    if creating_unit is None or request.user.role not in ("city", "district", "unit") and not request.user.is_superuser:
        return []
    user = request.user
    app = Application.objects.visible_to(user).filter(creating_unit=creating_unit).select_related("scheme").first()
    designation = Designation.objects.visible_to(user).filter(creating_unit=creating_unit, outcome="passed").first()
    return [{
        "template": "evaluation/unit_panel.html", "order": 60,
        "context": {"unit": creating_unit, "archive": completeness_summary(org_unit), "app": app,
                    "designation": designation},
    }]
