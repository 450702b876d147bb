from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem
from safecommunity.core.roles import Role

GROUP = _("Creation work")

MENU = [
    MenuItem(_("Compliance scorecard"), "scorecard:home", "speedometer2",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT}), GROUP, 290),
    MenuItem(_("Scorecard rules"), "scorecard:rules", "sliders", frozenset({Role.CITY}), _("System"), 905),
]
