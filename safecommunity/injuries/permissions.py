"""Who may do what with injury surveillance (see core.permissions). Pages, API, menu, buttons
and the services ask these."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import LOCAL_WRITERS, OFFICES_AND_UNITS, WITH_DEPARTMENTS

READ_ROLES = WITH_DEPARTMENTS  # a department reads its safety areas, city-wide
WRITE_ROLES = LOCAL_WRITERS  # records, sources, nil reports, imports
POPULATION_WRITE_ROLES = OFFICES_AND_UNITS

view = role_rule(READ_ROLES)
write = role_rule(WRITE_ROLES)
sources = role_rule(OFFICES_AND_UNITS)  # the reporting network is a unit's own list
population_write = role_rule(POPULATION_WRITE_ROLES)
imports = role_rule(OFFICES_AND_UNITS)  # the import batches list
