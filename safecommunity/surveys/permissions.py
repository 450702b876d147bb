"""Who may do what with resident surveys (see core.permissions). Pages, API, menu, buttons and
the services ask these."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import CITY_ONLY, OFFICES, OFFICES_AND_UNITS, Role

design = role_rule(OFFICES)  # questionnaires and their questions
install = role_rule(CITY_ONLY)  # the questionnaires shipped with the product
field = role_rule(OFFICES_AND_UNITS)  # rounds, interviews, invitations, paper-form imports, indicators
results = role_rule(OFFICES_AND_UNITS | {Role.EXPERT})  # an expert assigned to the unit's evaluation reads them
