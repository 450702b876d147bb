from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

READ = permissions.view.roles
WRITE = permissions.write.roles
GROUP = _("Injury surveillance")

MENU = [
    MenuItem(_("Injury records"), "injuries:record_list", "bandaid", READ, GROUP, 200),
    MenuItem(_("Injury analysis"), "injuries:analysis", "bar-chart-line", READ, GROUP, 201),
    MenuItem(_("Effect of an intervention"), "injuries:effect", "graph-down-arrow", READ, GROUP, 202),
    MenuItem(_("Reporting sources"), "injuries:source_list", "broadcast", permissions.sources.roles, GROUP, 203),
    MenuItem(_("Nil reports"), "injuries:nil_list", "clipboard-x", READ, GROUP, 204),
    MenuItem(_("Population"), "injuries:population_list", "people", READ, GROUP, 205),
    MenuItem(_("Import batches"), "injuries:import_list", "upload", permissions.imports.roles, GROUP, 206),
]
