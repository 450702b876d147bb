from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

GROUP = _("Evaluation and designation")

MENU = [
    MenuItem(_("Applications and evaluation"), "evaluation:application_list", "clipboard2-pulse",
             permissions.view.roles, GROUP, 610),
    MenuItem(_("Designations"), "evaluation:designation_list", "patch-check", permissions.designations.roles,
             GROUP, 620),
    MenuItem(_("Special funds"), "evaluation:fund_list", "cash-coin", permissions.funds.roles, GROUP, 630),
    MenuItem(_("Rewards"), "evaluation:reward_list", "trophy", permissions.rewards.roles, GROUP, 640),
    MenuItem(_("Scoring schemes"), "evaluation:scheme_list", "list-check", permissions.view.roles, GROUP, 650),
    MenuItem(_("International indicators"), "evaluation:crosswalk", "diagram-3", permissions.apply.roles,
             GROUP, 655),
    MenuItem(_("Expert pool"), "evaluation:expert_list", "person-badge", permissions.settings.roles, GROUP, 660),
    MenuItem(_("Evaluation rules"), "evaluation:policy", "sliders", permissions.settings.roles, GROUP, 670),
]
