from django.utils.translation import gettext_lazy as _

from safecommunity.core.registry import MenuItem

from . import permissions

MENU = [
    MenuItem(_("Audit chain check"), "security:audit_verify", "shield-check", permissions.audit_verify.roles,
             _("System"), 935),
]
