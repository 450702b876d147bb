"""The one scoping mechanism. Every query that returns records goes through `visible_to(user)`,
and every other scope question is derived from it (`core.permissions.in_scope`,
`accounts.rules.in_scope`): no path arithmetic outside this module.

A user sees the records whose org unit lies under the user's unit: org units carry a
materialized path built from official codes ("/500000/500103/500103001/"), so "under" is one
indexed `startswith`. Roles add to that:

- city office (and superusers): everything;
- district office, creating unit: their subtree (`district_q` / `unit_q`, by default the path
  prefix, `subtree_q`);
- municipal department: what the model's `department_q(user)` grants (its domain, city-wide);
- expert: what the model's `expert_q(user)` grants (assigned evaluations);
- system admin: what `sysadmin_q(user)` grants (by default nothing but reference data).

Inactive and anonymous users see nothing.

Models whose manager is `ScopedQuerySet.as_manager()` (or a subclass) declare:
    scope_field    - path to the OrgUnit FK ("org_unit", "hazard__org_unit"; "" on OrgUnit
                     itself; None for a model with no org unit, e.g. a city-wide plan year)
    parent_field   - on a child table: the FK to its scoped parent ("hazard", "report"); the
                     child is then visible exactly when its parent is (the parent's whole rule,
                     department and expert grants included)
    read_all_roles - roles that read every row (default: the city office); reference registers
                     every signed-in role reads whole use ALL_ROLES
    reference_data - True: the org-unit registers — departments, experts and the system admin
                     read them whole, districts and units their subtree
and may override the per-role hooks `district_q`, `unit_q`, `department_q`, `expert_q`,
`sysadmin_q` (each returns a Q, or NOTHING). The system check sc.E001 (core/checks.py) fails when
a model with a path to an org unit does not use this queryset.

The org-unit tree is read here and nowhere else (core/tests/test_no_path_arithmetic.py):
    user_path(user)          the user's place in the tree: their unit's path ('' without one)
    area_path(user)          where a district office or a creating unit acts (its path); '/' else
    within_q(field, where)   a Q: `field`'s unit lies at or under `where` (a unit, a path or a user)
    ScopedQuerySet.under(w)  the records at or under `w` (a unit or a path)
    is_within(where, above)  whether a unit (or path) lies at or under another
    path_codes(where)        the codes from the city down to a unit ("/500000/500103/" -> [...])
    child_path(parent, code) the path of a new unit (OrgUnit.save)
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from .roles import Role

NOTHING = Q(pk__in=[])
EVERYTHING = Q()
ALL_ROLES = frozenset(Role.values)


def org_unit_model():
    """The org-unit model (settings.ORG_UNIT_MODEL): how core reaches it without importing orgunits."""
    return apps.get_model(settings.ORG_UNIT_MODEL)


REFERENCE_READERS = frozenset({Role.CITY, Role.DEPARTMENT, Role.EXPERT, Role.SYSADMIN})


# --- the org-unit tree: its materialized paths are read here only ----------------------------

def _path(where) -> str:
    """The path of `where`: an org unit, or its path already ('' for None)."""
    if where is None:
        return ""
    return where if isinstance(where, str) else where.path


def child_path(parent, code: str) -> str:
    """The path of the unit `code` under `parent` (an org unit, its path, or None for the root)."""
    return f"{_path(parent) or '/'}{code}/"


def path_codes(where) -> list[str]:
    """The codes from the city down to `where` (an org unit or its path), its own last:
    "/500000/500103/500103003/" -> ["500000", "500103", "500103003"]; [] for ''. The district's
    code is the second, a unit's ancestors' are all but the last."""
    path = _path(where).strip("/")
    return path.split("/") if path else []


def is_within(where, ancestor) -> bool:
    """Whether `where` lies at or under `ancestor` (each an org unit or its path; an empty
    `ancestor` is the whole tree)."""
    return _path(where).startswith(_path(ancestor))


def user_path(user) -> str:
    """The user's place in the org-unit tree: the path of their org unit ('' for a user without
    one — a department, an expert, a city-wide account — and for the anonymous)."""
    if user is None or not getattr(user, "org_unit_id", None):
        return ""
    return user.org_unit.path


def area_path(user) -> str:
    """The subtree a district office or a creating unit acts in (its unit's path); the whole
    tree ('/') for every other role."""
    return user_path(user) if getattr(user, "role", None) in (Role.DISTRICT, Role.UNIT) else "/"


def within_q(field: str, where) -> Q:
    """Rows whose `field` (a foreign key to an org unit, or '' on the org unit itself) lies at or
    under `where`: an org unit, a path, or a user (`user_path`: their unit's subtree — a record's
    second unit, such as a hazard's responsible unit). NOTHING when `where` has no place."""
    path = _path(where) if where is None or isinstance(where, str) or hasattr(where, "path") else user_path(where)
    if not path:
        return NOTHING
    if not field:
        return Q(path__startswith=path)
    # `field` among the subtree's unit ids (read first: a unit's one id, a district's few dozen)
    # rather than a join on their path: the database then reads the record table through its
    # index on the foreign key — a unit's rows out of ten years of the city's, or a record placed
    # by either of two units (a hazard's unit or responsible unit) — instead of walking it by date
    if len(path_codes(path)) <= 1:  # the whole city: its thousand ids as a subquery, not as parameters
        return Q(**{f"{field}__in": org_unit_model()._base_manager.filter(path__startswith=path).values("pk")})
    return Q(**{f"{field}__in": subtree_ids(path)})


def subtree_ids(path: str) -> list[int]:
    """The ids of the org units at or under `path` (one small query on the unit table's path index;
    not kept between calls, so a unit added a moment ago is among them)."""
    return list(org_unit_model()._base_manager.filter(path__startswith=path).values_list("pk", flat=True))


class ScopedQuerySet(models.QuerySet):
    scope_field: str | None = "org_unit"
    parent_field: str = ""
    read_all_roles: frozenset = frozenset({Role.CITY})
    reference_data = False

    # --- the hooks ------------------------------------------------------------------------

    def subtree_q(self, where) -> Q:
        """Rows whose org unit lies at or under `where` (an org unit, its path, or a user: their
        unit's subtree). NOTHING without a place, or on a table with no org unit."""
        if self.scope_field is None:
            return NOTHING
        return within_q(self.scope_field, where)

    def district_q(self, user) -> Q:
        """Rows a district office sees. Default: its subtree."""
        return self.subtree_q(user)

    def unit_q(self, user) -> Q:
        """Rows a creating unit sees. Default: its subtree."""
        return self.subtree_q(user)

    def department_q(self, user) -> Q:
        """Rows a municipal department user sees. Default: none, unless reference data."""
        return NOTHING

    def expert_q(self, user) -> Q:
        """Rows an expert sees. Default: none, unless reference data."""
        return NOTHING

    def sysadmin_q(self, user) -> Q:
        """Rows the system administrator sees. Default: none, unless reference data."""
        return NOTHING

    # --- the rule -------------------------------------------------------------------------

    def under(self, where) -> "ScopedQuerySet":
        """Records whose org unit lies at or under `where` (an org unit or its path)."""
        path = _path(where)
        return self.filter(self.subtree_q(path)) if path else self.none()

    def _reads_all(self, role) -> bool:
        if role in self.read_all_roles:
            return True
        return self.reference_data and role in REFERENCE_READERS

    def scope_q(self, user) -> Q:
        """The rows `user` may read, as one Q (NOTHING: none, EVERYTHING: all)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return NOTHING
        if self.parent_field:
            parent = self.model._meta.get_field(self.parent_field).related_model
            return Q(**{f"{self.parent_field}__in": parent._default_manager.visible_to(user).values("pk")})
        role = getattr(user, "role", None)
        if user.is_superuser or self._reads_all(role):
            return EVERYTHING
        hook = {
            Role.DISTRICT: self.district_q,
            Role.UNIT: self.unit_q,
            Role.DEPARTMENT: self.department_q,
            Role.EXPERT: self.expert_q,
            Role.SYSADMIN: self.sysadmin_q,
        }.get(role)
        return hook(user) if hook is not None else NOTHING

    def visible_to(self, user) -> "ScopedQuerySet":
        q = self.scope_q(user)
        if q is NOTHING:
            return self.none()
        if q is EVERYTHING:
            return self.all()
        return self.filter(q)

    def holds(self, user, obj) -> bool:
        """Whether `obj` (an instance of this model) is among the rows `user` may read."""
        if obj is None or obj.pk is None:
            return False
        q = self.scope_q(user)
        if q is NOTHING:
            return False
        if q is EVERYTHING:
            return True
        return self.filter(q, pk=obj.pk).exists()


def in_scope(user, obj) -> bool:
    """Whether `user` may read `obj` by its model's scoping rule."""
    return type(obj)._default_manager.all().holds(user, obj)


def covers(user, org_unit) -> bool:
    """Whether `org_unit` lies in the user's area of responsibility, where the user may act:
    the city office (and superusers) everywhere, a district office or a creating unit its
    subtree, every other role nowhere (departments and experts act through their own grants).
    Reading is wider than acting: see `visible_to` (departments read the org-unit tree whole)."""
    if user is None or not user.is_authenticated or not user.is_active or org_unit is None:
        return False
    if user.is_superuser or getattr(user, "role", None) == Role.CITY:
        return True
    if user.role in (Role.DISTRICT, Role.UNIT):
        path = user_path(user)
        return bool(path) and is_within(org_unit, path)
    return False


def reads_whole(user, model) -> bool:
    """Whether `user` reads every row of `model` — and so its change history (the audit trail).
    A scoped model: when its rule grants the user everything (a child table: its parent's);
    a model without a scoping rule holds configuration (sc.E001 keeps unit data scoped): yes —
    unless it holds one user's own rows (`personal_records = True`: notifications quote other
    units' records), which only who reads everything reads whole. A many-to-many table follows
    the model that owns the relation."""
    if model._meta.auto_created:
        return reads_whole(user, model._meta.auto_created)
    if getattr(model, "personal_records", False):
        return bool(user is not None and user.is_authenticated and user.is_active
                    and (user.is_superuser or getattr(user, "role", None) == Role.CITY))
    queryset = model._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        return True
    if queryset.parent_field:
        return reads_whole(user, model._meta.get_field(queryset.parent_field).related_model)
    return queryset.scope_q(user) is EVERYTHING

