"""Who may administer accounts and read the logs (see core.permissions)."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import ADMINS, CITY_AND_ADMINS

ADMIN_ROLES = ADMINS  # create and edit accounts, unlock sign-ins
AUDIT_ROLES = CITY_AND_ADMINS  # the user list, audit trail and login log

users = role_rule(AUDIT_ROLES)
user_admin = role_rule(ADMIN_ROLES)
audit = role_rule(AUDIT_ROLES)  # which histories: core.scoping.reads_whole
