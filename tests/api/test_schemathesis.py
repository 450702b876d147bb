"""Every operation of /api/v1/ against the OpenAPI schema (schemathesis, in-process over WSGI), as a
city office user and as a creating-unit user, over the demo data: no server error, every response as
documented. A record's id in a path is, for each user, one of the records that user sees (a random
id would only ever read "not found"), so details and actions answer with real bodies; what each
case writes is rolled back.

Slow (a few minutes): marked `schemathesis` and run only when RUN_SCHEMATHESIS=1, once in CI on
PostgreSQL:  RUN_SCHEMATHESIS=1 DATABASE_URL=… .venv/bin/pytest -m schemathesis -p no:randomly
"""

import io
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [
    pytest.mark.schemathesis,
    pytest.mark.skipif(not os.environ.get("RUN_SCHEMATHESIS"), reason="set RUN_SCHEMATHESIS=1 (CI runs it on PostgreSQL)"),
]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))


# Generated cases only (the "coverage" phase alone makes hundreds of boundary cases per operation);
# SCHEMATHESIS_ONLY=regex narrows the run to some paths while fixing them.
CONFIG = {"phases": {"coverage": {"enabled": False}, "examples": {"enabled": False}, "stateful": {"enabled": False}}}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo database, built once for the module and emptied after it (as a transactional test
    leaves the database: reference data seeded again)."""
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections

    from safecommunity.core.testing import reseed_reference_data

    # Calls through the WSGI application begin and end with request_started/request_finished, whose
    # close_old_connections would close the connection that holds each case's transaction (Django's
    # test client disconnects it the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        call_command("demo", "--no-migrate", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        reseed_reference_data()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(demo, db):
    from schemathesis.config import SchemathesisConfig

    from safecommunity.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=SchemathesisConfig.from_dict(CONFIG))
    only = os.environ.get("SCHEMATHESIS_ONLY")
    return schema.include(path_regex=only) if only else schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def tokens(demo, db):
    """The demo's city office (sees everything) and 解放碑街道's worker (its own records only)."""
    from knox.models import AuthToken

    from safecommunity.accounts.models import User

    return [(user, AuthToken.objects.create(user=user)[1])
            for user in User.objects.filter(username__in=("city_admin", "jiefangbei_worker")).order_by("role")]


def _a_visible_record(case, user) -> dict:
    """Path parameters naming a record of the operation's viewset that `user` sees (none: as drawn)."""
    from django.core.exceptions import FieldError
    from django.urls import Resolver404, resolve

    names = set(case.path_parameters or {})
    if len(names) != 1:
        return {}
    (name,) = names
    try:
        match = resolve(case.operation.path.replace("{" + name + "}", "1"))
    except Resolver404:
        return {}
    cls = getattr(match.func, "cls", None)
    model = getattr(cls, "model", None)
    if model is None or not hasattr(model.objects, "visible_to"):
        return {}
    field = getattr(cls, "lookup_field", "pk") or "pk"
    records = model.objects.visible_to(user).order_by("pk")
    try:
        value = records.values_list(field, flat=True).first()
    except FieldError:  # a creating unit looked up by its org unit's code
        value = records.values_list(f"org_unit__{field}", flat=True).first()
    return {name: value} if value is not None else {}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_operation(case, tokens):
    drawn = dict(case.path_parameters or {})
    for user, token in tokens:
        case.path_parameters = {**drawn, **_a_visible_record(case, user)} if drawn else case.path_parameters
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
