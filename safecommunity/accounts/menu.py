from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

SYSTEM = _("System")

MENU = [
    MenuItem(_("Users"), "accounts:user_list", "people", permissions.users.roles, SYSTEM, 900),
    MenuItem(_("Audit trail"), "accounts:audit_log", "journal-text", permissions.audit.roles, SYSTEM, 930),
    MenuItem(_("Login log"), "accounts:login_log", "box-arrow-in-right", permissions.audit.roles,
             SYSTEM, 940),
]
