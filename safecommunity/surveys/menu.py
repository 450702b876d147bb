from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

SURVEYS = _("Surveys and inspections")
OFFICES = permissions.design.roles
FIELD = permissions.field.roles

MENU = [
    MenuItem(_("Questionnaires"), "surveys:questionnaire_list", "ui-checks", OFFICES, SURVEYS, 600),
    MenuItem(_("Survey rounds"), "surveys:round_list", "clipboard-data", FIELD, SURVEYS, 610),
    MenuItem(_("Survey indicators"), "surveys:rollup", "bar-chart-line", FIELD, SURVEYS, 620),
]
