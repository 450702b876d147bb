"""The org unit page: a creating unit's scorecard; a district's ranking of its units; the city's districts."""

from django.utils import timezone

from safecommunity.core.roles import Role
from safecommunity.orgunits.models import OrgUnit

from . import selectors


def unit_panels(request, org_unit, creating_unit) -> list[dict]:
    user = request.user
    if not (user.is_superuser or user.role in (Role.CITY, Role.DISTRICT, Role.UNIT)):
        return []
    year = timezone.localdate().year
    if creating_unit is not None:
        card = selectors.unit_scorecard(creating_unit, year)
        return [{"template": "scorecard/panel_unit.html", "context": {"card": card, "year": year}, "order": 10}]
    if org_unit.level == OrgUnit.Level.DISTRICT and user.role in (Role.CITY, Role.DISTRICT) or (
        org_unit.level == OrgUnit.Level.DISTRICT and user.is_superuser
    ):
        data = selectors.district_ranking(user, org_unit, year)
        return [{"template": "scorecard/panel_district.html", "context": {**data, "year": year}, "order": 10}]
    if org_unit.level == OrgUnit.Level.CITY and (user.is_superuser or user.role == Role.CITY):
        rows = selectors.city_rollup(user, year)
        return [{"template": "scorecard/panel_city.html", "context": {"rows": rows, "year": year}, "order": 10}]
    return []
