"""The one scoping mechanism. Every query that returns records goes through `visible_to(user)`.

A user sees the records whose org unit lies under the user's unit: org units carry a
materialized path built from official codes ("/500000/500103/500103001/"), so "under" is one
indexed `startswith`. Roles add to that:

- city office (and superusers): everything;
- district office, creating unit: their subtree (path prefix);
- municipal department: what the model's `department_q(user)` grants (its domain, city-wide);
- expert: what the model's `expert_q(user)` grants (assigned evaluations);
- system admin: reference data only (`reference_data = True`).

Models whose manager is `ScopedQuerySet.as_manager()` (or a subclass) declare:
    scope_field  - path to the OrgUnit FK ("org_unit", "hazard__org_unit"; "" on OrgUnit itself)
    reference_data - True for registers every role may read (org units, departments)
and may override `department_q` / `expert_q`.
"""

from django.db import models
from django.db.models import Q

from .roles import Role

NOTHING = Q(pk__in=[])


class ScopedQuerySet(models.QuerySet):
    scope_field = "org_unit"
    reference_data = False

    def _path_lookup(self) -> str:
        return f"{self.scope_field}__path__startswith" if self.scope_field else "path__startswith"

    def under(self, path: str) -> "ScopedQuerySet":
        """Records whose org unit lies at or under the unit with this path."""
        return self.filter(**{self._path_lookup(): path})

    def department_q(self, user) -> Q:
        """Rows a municipal department user sees. Default: none, unless reference data."""
        return NOTHING

    def expert_q(self, user) -> Q:
        """Rows an expert sees. Default: none, unless reference data."""
        return NOTHING

    def visible_to(self, user) -> "ScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        role = getattr(user, "role", None)
        if user.is_superuser or role == Role.CITY:
            return self.all()
        if role in (Role.DISTRICT, Role.UNIT):
            path = user.scope_path
            return self.under(path) if path else self.none()
        if self.reference_data and role in (Role.DEPARTMENT, Role.EXPERT, Role.SYSADMIN):
            return self.all()
        if role == Role.DEPARTMENT:
            q = self.department_q(user)
        elif role == Role.EXPERT:
            q = self.expert_q(user)
        else:
            return self.none()
        return self.filter(q) if q is not NOTHING else self.none()
