from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

BASE = _("Basic data")

MENU = [
    MenuItem(_("Org units"), "orgunits:orgunit_list", "diagram-3", group=BASE, order=800),
    MenuItem(_("Creating units"), "orgunits:creatingunit_list", "houses", group=BASE, order=810),
    MenuItem(_("Municipal departments"), "orgunits:department_list", "building", group=BASE, order=820),
]
