from django.utils.translation import gettext_lazy as _

from . import permissions
from .registry import MenuItem

MENU = [
    MenuItem(_("Code lists"), "core:codelist_list", "list-ul", permissions.codelists.roles, _("System"), 910),
]
MENU.append(MenuItem(_("My jobs"), "jobs:job_list", "hourglass-split", frozenset(), "", 990))
