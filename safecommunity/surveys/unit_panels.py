"""The org unit page of a creating unit: its latest survey rounds with their indicators, and its
open inspection follow-up items."""

from django.utils.translation import gettext as _

from safecommunity.core.roles import Role

from . import selectors
from .models import Indicator, SurveyRound


def unit_panels(request, org_unit, creating_unit) -> list[dict]:
    user = request.user
    if creating_unit is None or not (user.is_superuser or user.role in (Role.CITY, Role.DISTRICT, Role.UNIT)):
        return []
    rounds = list(SurveyRound.objects.visible_to(user).filter(org_unit=org_unit)
                  .select_related("questionnaire").order_by("-starts_on")[:3])
    if not rounds:
        return []
    rows = []
    for r in rounds:
        indicators = [(row.label, row.overall) for row in selectors.indicator_rows(r.responses.all(), per_question=False)
                      if row.key in Indicator.values]
        rows.append({"round": r, "indicators": indicators, "n": r.responses.count()})
    return [{"template": "surveys/panel_unit.html", "context": {"rows": rows, "title": _("Resident surveys")},
             "order": 60}]
