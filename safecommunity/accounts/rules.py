"""The role and scope checks of services, under the name services import them by. They live in
`core.rules` (core's own generic views use them, and core imports no app)."""

from safecommunity.core.rules import has_role, in_scope, require_role, require_scope

__all__ = ["has_role", "in_scope", "require_role", "require_scope"]
