"""Every operation of /api/v1/ against the OpenAPI schema (schemathesis, in-process over WSGI), as a
city office user and as a creating-unit user: no server error, every response as documented.

Slow (a few minutes): marked `schemathesis` and run only when RUN_SCHEMATHESIS=1, once in CI on
PostgreSQL:  RUN_SCHEMATHESIS=1 DATABASE_URL=… .venv/bin/pytest -m schemathesis -p no:randomly
"""

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


@pytest.fixture
def api_schema(db):
    from schemathesis.config import SchemathesisConfig

    from safecommunity.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=SchemathesisConfig.from_dict(CONFIG))
    only = os.environ.get("SCHEMATHESIS_ONLY")
    return schema.include(path_regex=only) if only else schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def tokens(city_admin, unit_a):
    """A city office token (sees everything) and a creating unit's (its own records only)."""
    from knox.models import AuthToken

    return [AuthToken.objects.create(user=user)[1] for user in (city_admin, unit_a)]


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_operation(case, tokens):
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
