"""Who may manage a user's tokens and second factor, and check the audit chain (see core.permissions)."""

from safecommunity.core.permissions import role_rule
from safecommunity.core.roles import ADMINS, CITY_AND_ADMINS

user_security = role_rule(ADMINS)  # tokens (revoke), second factor (reset)
audit_verify = role_rule(CITY_AND_ADMINS)
