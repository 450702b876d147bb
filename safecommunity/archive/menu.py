from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

GROUP = _("Evaluation and designation")

MENU = [
    MenuItem(_("Creation archive"), "archive:attachment_list", "archive",
             permissions.view.roles, GROUP, 600),
    MenuItem(_("Archive completeness"), "archive:completeness", "clipboard-check",
             permissions.write.roles, GROUP, 605)  # experts open a unit's from its link,
]
