from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

GROUP = _("Risks and hazards")
READ = permissions.view.roles

MENU = [
    MenuItem(_("Patrol points"), "patrols:point_list", "qr-code-scan", READ, GROUP, 210),
    MenuItem(_("Patrols"), "patrols:patrol_list", "list-check", READ, GROUP, 211),
]
