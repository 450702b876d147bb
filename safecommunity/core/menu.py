from django.utils.translation import gettext_lazy as _

from .registry import MenuItem
from .roles import Role

MENU = [
    MenuItem(_("Code lists"), "core:codelist_list", "list-ul", frozenset({Role.SYSADMIN, Role.CITY}), _("System"), 910),
]
MENU.append(MenuItem(_("My jobs"), "jobs:job_list", "hourglass-split", frozenset(), "", 990))
