from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

MENU = [
    MenuItem(_("Big screen"), "bigscreen:city", "display", permissions.view.roles,
             _("Creation work"), 330),
]
