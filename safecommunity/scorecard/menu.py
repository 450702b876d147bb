from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

GROUP = _("Creation work")

MENU = [
    MenuItem(_("Compliance scorecard"), "scorecard:home", "speedometer2",
             permissions.view.roles, GROUP, 290),
    MenuItem(_("Scorecard rules"), "scorecard:rules", "sliders", permissions.rules.roles, _("System"), 905),
]
