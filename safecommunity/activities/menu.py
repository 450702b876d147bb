from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

WORK = _("Creation work")
EMERGENCY = _("Emergency capacity")
ROLES = permissions.view.roles

MENU = [
    MenuItem(_("Publicity and training"), "activities:activity_list", "megaphone", ROLES, WORK, 310),
    MenuItem(_("Creation meetings"), "activities:meeting_list", "people", ROLES, WORK, 320),
    MenuItem(_("Emergency plans"), "activities:plan_list", "journal-text", ROLES, EMERGENCY, 400),
    MenuItem(_("Equipment and facilities"), "activities:equipment_list", "box-seam", ROLES, EMERGENCY, 410),
    MenuItem(_("Emergency teams"), "activities:team_list", "person-badge", ROLES, EMERGENCY, 420),
    MenuItem(_("Emergency drills"), "activities:drill_list", "lightning", ROLES, EMERGENCY, 430),
]
