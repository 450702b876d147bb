from datetime import UTC, date, datetime

import pytest

from safecommunity.core.registry import contributions
from safecommunity.orgunits.models import CreatingUnit
from safecommunity.reports import services
from safecommunity.reports.obligations import OBLIGATIONS, count_on_time_reports

pytestmark = pytest.mark.django_db


def test_on_time_reports_of_the_year_are_counted_per_unit(officers, records, unit_a, unit_a2, monkeypatch):
    for month, at in ((1, datetime(2026, 2, 3, tzinfo=UTC)), (2, datetime(2026, 3, 9, tzinfo=UTC)),
                      (3, datetime(2026, 4, 5, 15, 0, tzinfo=UTC))):
        monkeypatch.setattr(services, "now", lambda at=at: at)
        r = services.monthly_report_create(org_unit=unit_a.org_unit, period=date(2026, month, 1), actor=unit_a)
        services.monthly_report_update(report=r, actor=unit_a, is_nil=True)
        services.monthly_report_submit(report=r, actor=unit_a)
    cu_a = CreatingUnit.objects.get(org_unit=unit_a.org_unit).pk
    cu_a2 = CreatingUnit.objects.get(org_unit=unit_a2.org_unit).pk
    assert count_on_time_reports(creating_unit_ids=[cu_a, cu_a2], year=2026) == {cu_a: 2}
    assert OBLIGATIONS[0].default_minimum == 12
    assert any(m.__name__.endswith("reports.obligations") for m in contributions("obligations"))
