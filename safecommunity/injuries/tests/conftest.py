from datetime import date, timedelta

import pytest

from safecommunity.core.models import CodeItem
from safecommunity.injuries import choices
from safecommunity.injuries.models import InjuryRecord, ReportingSource


@pytest.fixture
def code():
    cache = {}

    def get(key, c):
        if (key, c) not in cache:
            cache[(key, c)] = CodeItem.objects.get(codelist__key=key, code=c)
        return cache[(key, c)]

    return get


@pytest.fixture
def sources(tree, code):
    kind = code(choices.SOURCE_KIND, "hospital")
    return {
        c: ReportingSource.objects.create(org_unit=tree[c], name=f"医院{c}", kind=kind)
        for c in ("500103003", "500103001", "500106001")
    }


@pytest.fixture
def record_kwargs(tree, code, sources):
    """Field values of a plausible case in 解放碑街道 (unit_a)."""

    def make(unit="500103003", **over):
        kw = dict(
            org_unit=tree[unit], occurred_on=date.today() - timedelta(days=3), age=40, sex="M",
            safety_area=code(choices.SAFETY_AREA, "home"), place=code(choices.PLACE, "home"),
            activity=code(choices.ACTIVITY, "housework"), mechanism=code(choices.MECHANISM, "fall"),
            intent=code(choices.INTENT, "unintentional"), severity=code(choices.SEVERITY, "mild"),
            outcome=code(choices.OUTCOME, "discharged"), source=sources[unit],
        )
        kw.update(over)
        return kw

    return make


@pytest.fixture
def make_record(record_kwargs):
    """Insert a record directly (no services), with the age band set."""

    def make(unit="500103003", **over):
        kw = record_kwargs(unit, **over)
        r = InjuryRecord(**kw)
        r.age_band = choices.age_band(r.age)
        r.save()
        return r

    return make


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (the import task) of the block: `with capture(execute=True): …`."""
    return django_capture_on_commit_callbacks
