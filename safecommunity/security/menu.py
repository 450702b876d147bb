from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem
from safecommunity.core.roles import Role

MENU = [
    MenuItem(_("Audit chain check"), "security:audit_verify", "shield-check", frozenset({Role.SYSADMIN, Role.CITY}),
             _("System"), 935),
]
