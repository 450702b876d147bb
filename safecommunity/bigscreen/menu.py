from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem
from safecommunity.core.roles import Role

MENU = [
    MenuItem(_("Big screen"), "bigscreen:city", "display", frozenset({Role.CITY, Role.DISTRICT}),
             _("Creation work"), 330),
]
