from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem
from safecommunity.core.roles import Role

GROUP = _("Evaluation and designation")

MENU = [
    MenuItem(_("Creation archive"), "archive:attachment_list", "archive",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT, Role.EXPERT}), GROUP, 600),
    MenuItem(_("Archive completeness"), "archive:completeness", "clipboard-check",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT}), GROUP, 605),
]
