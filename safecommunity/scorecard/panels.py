"""Home page: the district admin sees its units ranked, a unit worker its own scorecard, the city its
districts (first panels: order 1)."""

from django.utils import timezone

from safecommunity.core.roles import Role

from . import selectors


def home_panels(request) -> list[dict]:
    user = request.user
    year = timezone.localdate().year
    if user.role == Role.UNIT and user.creating_unit:
        card = selectors.unit_scorecard(user.creating_unit, year)
        return [{"template": "scorecard/panel_unit.html", "context": {"card": card, "year": year}, "order": 1}]
    if user.role == Role.DISTRICT and user.district:
        data = selectors.district_ranking(user, user.district, year)
        return [{"template": "scorecard/panel_district.html", "context": {**data, "year": year}, "order": 1}]
    if user.is_superuser or user.role == Role.CITY:
        rows = selectors.city_rollup(user, year)
        return [{"template": "scorecard/panel_city.html", "context": {"rows": rows, "year": year}, "order": 1}]
    return []
