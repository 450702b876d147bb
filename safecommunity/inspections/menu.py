from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem
from safecommunity.surveys.menu import SURVEYS

from . import permissions

OFFICES = permissions.plan.roles
ALL = permissions.view.roles

MENU = [
    MenuItem(_("Inspection plans"), "inspections:plan_list", "calendar-check", OFFICES, SURVEYS, 630),
    MenuItem(_("Inspections"), "inspections:inspection_list", "search", ALL, SURVEYS, 640),
    MenuItem(_("Inspection follow-up items"), "inspections:followup_list", "list-check", ALL, SURVEYS, 650),
    MenuItem(_("Inspection ranking"), "inspections:ranking", "sort-down", OFFICES, SURVEYS, 660),
    MenuItem(_("Year-end analysis meetings"), "inspections:review_list", "journal-check", ALL, SURVEYS, 670),
]
