from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem
from safecommunity.core.roles import Role

GROUP = _("Evaluation and designation")
CITY = frozenset({Role.CITY})

MENU = [
    MenuItem(_("Applications and evaluation"), "evaluation:application_list", "clipboard2-pulse",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT, Role.EXPERT}), GROUP, 610),
    MenuItem(_("Designations"), "evaluation:designation_list", "patch-check",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT}), GROUP, 620),
    MenuItem(_("Special funds"), "evaluation:fund_list", "cash-coin",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT}), GROUP, 630),
    MenuItem(_("Rewards"), "evaluation:reward_list", "trophy", frozenset({Role.CITY, Role.DISTRICT}), GROUP, 640),
    MenuItem(_("Scoring schemes"), "evaluation:scheme_list", "list-check",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT, Role.EXPERT}), GROUP, 650),
    MenuItem(_("International indicators"), "evaluation:crosswalk", "diagram-3",
             frozenset({Role.CITY, Role.DISTRICT, Role.UNIT}), GROUP, 655),
    MenuItem(_("Expert pool"), "evaluation:expert_list", "person-badge", CITY, GROUP, 660),
    MenuItem(_("Evaluation rules"), "evaluation:policy", "sliders", CITY, GROUP, 670),
]
