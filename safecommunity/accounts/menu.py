from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem
from safecommunity.core.roles import Role

SYSTEM = _("System")

MENU = [
    MenuItem(_("Users"), "accounts:user_list", "people", frozenset({Role.SYSADMIN, Role.CITY}), SYSTEM, 900),
    MenuItem(_("Audit trail"), "accounts:audit_log", "journal-text", frozenset({Role.SYSADMIN, Role.CITY}), SYSTEM, 930),
    MenuItem(_("Login log"), "accounts:login_log", "box-arrow-in-right", frozenset({Role.SYSADMIN, Role.CITY}),
             SYSTEM, 940),
]
