"""Who may read the compliance scorecards and set their rules (see core.permissions). Pages, API,
menu, breadcrumbs and the service ask these."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import CITY_ONLY, OFFICES, OFFICES_AND_UNITS

view = role_rule(OFFICES_AND_UNITS)  # a unit's scorecard; the rule minimums on the API
districts = role_rule(OFFICES)  # a district's scorecards and ranking
city = role_rule(CITY_ONLY)  # the districts side by side
rules = role_rule(CITY_ONLY)  # the rule minimums: list and edit
