"""Helpers for tests (imported by conftest files)."""
def reseed_reference_data():
    """Re-run our apps' data migrations (code lists and other seeds; they are idempotent).

    Transactional tests (live server, browser) end with a flush that empties every table,
    including what data migrations seeded; the next such test gets it back from here.
    """
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection)
    ours = {c.label for c in global_apps.get_app_configs() if c.name.startswith("safecommunity.")}
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan.extend(k for k in loader.graph.forwards_plan(leaf) if k not in plan)
    for key in plan:
        if key[0] not in ours:
            continue
        for op in loader.graph.nodes[key].operations:
            if isinstance(op, RunPython):
                op.code(global_apps, None)
