"""Who may do what with inspections (see core.permissions). Pages, API, menu, buttons and the
services ask these."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import CITY_ONLY, LOCAL_WRITERS, OFFICES, OFFICES_AND_UNITS, Role

view = role_rule(OFFICES_AND_UNITS)  # inspections, follow-up items, year-end analysis meetings
plan = role_rule(OFFICES)  # plans, adding and recording inspections, the ranking
close = role_rule(LOCAL_WRITERS | CITY_ONLY)  # a follow-up item as fixed
reopen = role_rule(OFFICES)  # a fix the office finds insufficient
review_write = role_rule(LOCAL_WRITERS)  # the unit's year-end analysis meeting
review_read = role_rule(OFFICES_AND_UNITS | {Role.EXPERT})
