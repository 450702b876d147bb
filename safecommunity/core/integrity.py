"""References kept by the application instead of a database constraint.

The large tables written by imports (injury records, hospital feed cases) declare some foreign
keys with `db_constraint=False`: a constraint costs one check per row and column on every
insert, most of a 100,000-row import's time on PostgreSQL. Every write path checks those
values first and the ORM still refuses deletes that would orphan rows (PROTECT), so a dangling
reference can only come from outside the application (raw SQL, a partial restore). This module
finds them: `dangling_references()` counts, per such column, the rows whose value names no row
of the target table. A weekly job logs an error when any is found (`core.tasks`), and
`safecommunity check_references` prints the counts."""

import logging

from django.apps import apps
from django.db import models

logger = logging.getLogger("safecommunity.integrity")


def unconstrained_references() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """(model, field) for every concrete foreign key of the project declared without a database
    constraint."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("safecommunity.") or model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if (f.many_to_one or f.one_to_one) and not f.db_constraint:
                found.append((model, f))
    return found


def dangling_references() -> dict[str, int]:
    """{"app_label.Model.field": number of rows whose value names no target row}, only the
    columns with at least one such row."""
    out = {}
    for model, f in unconstrained_references():
        target = f.related_model._base_manager.values(f.target_field.attname)
        n = (model._base_manager.exclude(**{f"{f.attname}__isnull": True})
             .exclude(**{f"{f.attname}__in": target}).count())
        if n:
            out[f"{model._meta.label}.{f.name}"] = n
    return out


def check_and_log() -> dict[str, int]:
    found = dangling_references()
    for column, n in found.items():
        logger.error("%s row(s) of %s name a row that does not exist", n, column)
    return found
