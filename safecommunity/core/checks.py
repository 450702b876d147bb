"""System checks of the one scoping rule (run by `manage.py check`, `migrate`, the test runner).

sc.E001: a model that reaches `orgunits.OrgUnit` through its foreign keys (its own `org_unit`,
or its parent's: a hazard's step, a report's comment) holds records of one unit, so its default
manager must be built from `core.scoping.ScopedQuerySet` — every read then starts from
`visible_to(user)` and child tables are scoped through their parent (`scope_field`).
Foreign keys to users (actors: `created_by`, `decided_by`) are not followed: the record belongs
to the unit, not to whoever typed it.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks

from .scoping import org_unit_model

# Models with a path to an org unit that are nevertheless *reference data* every signed-in
# user reads whole, each with the reason. Keep it short: anything holding a unit's own records
# belongs under ScopedQuerySet instead.
REFERENCE_MODELS: dict[str, str] = {
    # (none today: the org-unit tree and the departments are themselves ScopedQuerySets
    # with `reference_data = True`)
}

MAX_DEPTH = 4


def org_unit_path(model, _depth: int = 0, _seen: tuple = ()) -> str | None:
    """The lookup from `model` to its OrgUnit ("org_unit", "hazard__org_unit"), "" for OrgUnit
    itself, None when it has none. Follows concrete foreign keys, never the ones to users."""
    org_unit = org_unit_model()
    user = apps.get_model(settings.AUTH_USER_MODEL)
    if model is org_unit:
        return ""
    if _depth >= MAX_DEPTH:
        return None
    for f in model._meta.get_fields():
        if not (f.many_to_one or f.one_to_one) or not f.concrete:
            continue
        related = f.related_model
        if related is None or related is user or related in _seen:
            continue
        rest = org_unit_path(related, _depth + 1, (*_seen, model))
        if rest is not None:
            return f.name + (f"__{rest}" if rest else "")
    return None


@checks.register(checks.Tags.models)
def check_scoped_managers(app_configs=None, **kwargs):
    configs = app_configs or apps.get_app_configs()
    return check_models(m for c in configs if c.name.startswith("safecommunity.") for m in c.get_models())


def check_models(models) -> list[checks.Error]:
    from safecommunity.core.scoping import ScopedQuerySet

    errors = []
    for model in models:
        label = model._meta.label
        if label in REFERENCE_MODELS:
            continue
        path = org_unit_path(model)
        if path is None:
            continue
        queryset_class = getattr(model._default_manager, "_queryset_class", None)
        if queryset_class is None or not issubclass(queryset_class, ScopedQuerySet):
            errors.append(checks.Error(
                f"{label} reaches an org unit ({path or 'it is one'}) but its default manager's "
                f"queryset {getattr(queryset_class, '__name__', queryset_class)} is not a ScopedQuerySet.",
                hint=f"objects = <X>QuerySet.as_manager() with <X>QuerySet(ScopedQuerySet) and "
                     f"scope_field = {path!r} (core/scoping.py), or list it in "
                     f"core.checks.REFERENCE_MODELS with the reason.",
                obj=model,
                id="sc.E001",
            ))
    return errors
