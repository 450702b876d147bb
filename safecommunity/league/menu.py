from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

MENU = [
    MenuItem(_("Quarterly league table"), "league:table", "trophy", permissions.view.roles,
             _("Creation work"), 320),
]
