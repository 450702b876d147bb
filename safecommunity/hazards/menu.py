from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

GROUP = _("Risks and hazards")
READ = permissions.view.roles

MENU = [
    MenuItem(_("Hazard work list"), "hazards:worklist", "inbox", READ, GROUP, 200),
    MenuItem(_("Hazard register"), "hazards:hazard_list", "exclamation-triangle", READ, GROUP, 201),
    MenuItem(_("Report a hazard"), "hazards:hazard_create", "plus-circle", permissions.create.roles, GROUP, 202),
    MenuItem(_("Risk diagnosis registers"), "hazards:risk_list", "journal-text", READ, GROUP, 203),
    MenuItem(_("Risk map"), "hazards:risk_map", "geo-alt", READ, GROUP, 204),
    MenuItem(_("Hazard statistics"), "hazards:stats", "bar-chart", READ, GROUP, 205),
    MenuItem(_("Rectification periods"), "hazards:deadline_settings", "clock-history",
             permissions.deadline_settings.roles, GROUP, 206),
]
