from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

GROUP = _("Creation work")
ROLES = permissions.view.roles

MENU = [
    MenuItem(_("Safety promotion projects"), "projects:project_list", "clipboard-check", ROLES, GROUP, 300),
    MenuItem(_("Phase evaluations"), "projects:evaluation_list", "clipboard-data", ROLES, GROUP, 305),
]
