"""Fixtures of the reports app: launched units, officers, and a fake monthly-figures plugin
standing in for the apps (injuries, hazards, activities…) that contribute figures."""

from datetime import date
from types import SimpleNamespace

import pytest

from safecommunity.core.plugins import Figure

PERIOD = date(2026, 3, 1)


class FakeRecords:
    """What the fake plugin 'counts': {creating_unit_id: {"trainings": n, "hazards_found": n}}."""

    def __init__(self):
        self.data = {}

    def set(self, org_unit, **values):
        from safecommunity.orgunits.models import CreatingUnit

        cu = CreatingUnit.objects.get(org_unit=org_unit)
        self.data.setdefault(cu.pk, {}).update(values)


@pytest.fixture
def records(monkeypatch):
    from safecommunity.reports import figures
    from safecommunity.reports import monthly_figures as own

    fake = FakeRecords()
    module = SimpleNamespace(
        FIGURES=[Figure(key="trainings", label="Trainings held", order=20),
                 Figure(key="hazards_found", label="Hazards found", order=30)],
        monthly_figures=lambda *, creating_unit_ids, period: {
            cid: dict(fake.data.get(cid, {})) for cid in creating_unit_ids},
    )
    monkeypatch.setattr(figures, "_modules", lambda: [own, module])
    return fake


@pytest.fixture
def launched(tree):
    """解放碑, 七星岗 and 小龙坎 launched creation in January 2025; the other units did not."""
    from safecommunity.orgunits.models import CreatingUnit

    CreatingUnit.objects.filter(org_unit__code__in=["500103003", "500103001", "500106001"]).update(
        status="launched", launch_year=2025, launched_on=date(2025, 1, 10))
    return tree


@pytest.fixture
def officers(launched, unit_a, unit_a2, unit_b, district_a, district_b):
    from safecommunity.reports.models import InformationOfficer

    return {
        code: InformationOfficer.objects.create(org_unit=launched[code], name=f"信息员{code[-3:]}")
        for code in ["500103003", "500103001", "500106001", "500103", "500106"]
    }


@pytest.fixture
def draft(officers, records, unit_a):
    from safecommunity.reports.services import monthly_report_create

    records.set(unit_a.org_unit, trainings=2, hazards_found=5)
    return monthly_report_create(org_unit=unit_a.org_unit, period=PERIOD, actor=unit_a)


@pytest.fixture
def submitted(draft, unit_a):
    from safecommunity.reports.services import monthly_report_submit, monthly_report_update

    monthly_report_update(report=draft, actor=unit_a, work_done="开展消防宣传两次", problems="人手不足",
                          next_plans="组织演练")
    return monthly_report_submit(report=draft, actor=unit_a)
