from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

READ = permissions.view.roles
WRITE = permissions.write.roles
GROUP = _("Injury surveillance")

MENU = [
    MenuItem(_("Hospital feeds"), "feeds:upload_list", "hospital", READ, GROUP, 210),
    MenuItem(_("Feed cases"), "feeds:case_list", "geo-alt", READ, GROUP, 211),
    MenuItem(_("Value mappings"), "feeds:valuemap_list", "arrow-left-right",
             permissions.mappings.roles, GROUP, 212),
    MenuItem(_("Push tokens"), "feeds:token_list", "key", WRITE, GROUP, 213),
    MenuItem(_("Quarterly export (report card layout)"), "feeds:card_export", "file-earmark-arrow-down", READ, GROUP, 214),
]
