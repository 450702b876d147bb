from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

CREATION = _("Creation work")
OFFICES = permissions.plans.roles
WITH_UNITS = permissions.WITH_UNITS

MENU = [
    MenuItem(_("Yearly plans"), "creation:plan_list", "calendar3", OFFICES, CREATION, 100),
    MenuItem(_("Launch creation"), "creation:launch", "flag", permissions.launch.roles, CREATION, 110),
    MenuItem(_("Register enterprise/park"), "creation:unit_register", "buildings", OFFICES, CREATION, 115),
    MenuItem(_("Status history"), "creation:transition_list", "clock-history", WITH_UNITS, CREATION, 120),
    MenuItem(_("Titles and validity"), "creation:title_list", "award", OFFICES, CREATION, 125),
    MenuItem(_("Responsibility letters"), "creation:letter_list", "file-earmark-check", WITH_UNITS, CREATION, 130),
    MenuItem(_("District assessments"), "creation:assessment_list", "clipboard-data", OFFICES, CREATION, 140),
    MenuItem(_("Joint meetings"), "creation:meeting_list", "people", OFFICES, CREATION, 150),
    MenuItem(_("Joint-meeting members"), "creation:member_list", "person-lines-fill", OFFICES, CREATION, 155),
    MenuItem(_("Follow-up items"), "creation:followup_list", "list-check",
             permissions.follow_ups.roles, CREATION, 160),
]
