"""Shared fixtures: a small real tree (渝中区 and 沙坪坝区 from the shipped divisions file) and
one named user per role, like healthchecks' alice/bob/charlie.

    city_admin          市安委办, sees everything
    district_a / _b     渝中区 (500103) / 沙坪坝区 (500106) office
    unit_a, unit_a2     解放碑街道 (500103003), 七星岗街道 (500103001), both in 渝中区
    unit_b              小龙坎街道 (500106001) in 沙坪坝区
    dept_ga             公安 department user; expert; sysadmin
`client_for(user)` gives a signed-in test client.
"""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DISTRICT_A, DISTRICT_B = "500103", "500106"
UNIT_A, UNIT_A2, UNIT_B = "500103003", "500103001", "500106001"


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (marked django_db(transaction=True): live server, browser, a second
    thread writing) end with a flush that empties every table, code lists included: each such
    test gets the seeded reference data back first, as after `migrate`."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from safecommunity.core.testing import reseed_reference_data

        reseed_reference_data()


@pytest.fixture
def tree(db):
    from safecommunity.orgunits.models import OrgUnit
    from safecommunity.orgunits.services import divisions_load

    divisions_load(only_districts={DISTRICT_A, DISTRICT_B})
    return {u.code: u for u in OrgUnit.objects.all()}


def _user(username, role, code):
    from safecommunity.accounts.tests.factories import UserFactory

    return UserFactory(username=username, role=role, code=code)


@pytest.fixture
def city_admin(tree):
    return _user("city_admin", "city", "500000")


@pytest.fixture
def district_a(tree):
    return _user("district_a", "district", DISTRICT_A)


@pytest.fixture
def district_b(tree):
    return _user("district_b", "district", DISTRICT_B)


@pytest.fixture
def unit_a(tree):
    return _user("unit_a", "unit", UNIT_A)


@pytest.fixture
def unit_a2(tree):
    return _user("unit_a2", "unit", UNIT_A2)


@pytest.fixture
def unit_b(tree):
    return _user("unit_b", "unit", UNIT_B)


@pytest.fixture
def dept_ga(tree):
    return _user("dept_ga", "department", "GA")


@pytest.fixture
def expert(tree):
    return _user("expert", "expert", "500000")


@pytest.fixture
def sysadmin(tree):
    return _user("sysadmin", "sysadmin", "500000")


@pytest.fixture
def client_for():
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for():
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Requests activate a language per thread; start each test in the default (Chinese)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

