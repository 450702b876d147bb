"""Completeness and timeliness: nil is a report, missing is not; only expected units count."""

from datetime import UTC, date, datetime

import pytest

from safecommunity.orgunits.models import CreatingUnit
from safecommunity.reports import services
from safecommunity.reports.selectors import completeness, completeness_by_district, status_board_units
from safecommunity.reports.services import monthly_report_create, monthly_report_submit, monthly_report_update

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _submit(user, *, at, nil=False, period=PERIOD, monkeypatch):
    monkeypatch.setattr(services, "now", lambda: at)
    r = monthly_report_create(org_unit=user.org_unit, period=period, actor=user)
    monthly_report_update(report=r, actor=user, is_nil=nil, work_done="" if nil else "工作")
    return monthly_report_submit(report=r, actor=user)


def test_nil_counts_as_received_missing_does_not(officers, records, tree, unit_a, unit_a2, monkeypatch):
    _submit(unit_a, at=datetime(2026, 4, 3, 2, 0, tzinfo=UTC), nil=True, monkeypatch=monkeypatch)
    c = completeness(district_ids=[tree["500103"].pk], periods=[PERIOD])[(tree["500103"].pk, PERIOD)]
    assert (c.expected, c.submitted, c.nil, c.missing, c.on_time) == (2, 1, 1, 1, 1)
    assert c.completeness == 50.0 and c.timeliness == 50.0


def test_a_draft_or_returned_report_is_not_received(officers, records, tree, unit_a, unit_a2, district_a,
                                                    monkeypatch):
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 4, 2, tzinfo=UTC))
    monthly_report_create(org_unit=unit_a2.org_unit, period=PERIOD, actor=unit_a2)  # a draft only
    r = _submit(unit_a, at=datetime(2026, 4, 2, tzinfo=UTC), monkeypatch=monkeypatch)
    services.monthly_report_return(report=r, actor=district_a, reason="重写")
    c = completeness(district_ids=[tree["500103"].pk], periods=[PERIOD])[(tree["500103"].pk, PERIOD)]
    assert (c.expected, c.submitted) == (2, 0)


def test_late_and_on_time_by_local_time(officers, records, tree, unit_a, unit_a2, monkeypatch):
    _submit(unit_a, at=datetime(2026, 4, 5, 15, 30, tzinfo=UTC), monkeypatch=monkeypatch)   # 23:30 on the 5th
    _submit(unit_a2, at=datetime(2026, 4, 5, 16, 30, tzinfo=UTC), monkeypatch=monkeypatch)  # 00:30 on the 6th
    c = completeness(district_ids=[tree["500103"].pk], periods=[PERIOD])[(tree["500103"].pk, PERIOD)]
    assert (c.submitted, c.on_time) == (2, 1)
    rows = {r.code: r for r in status_board_units(user=unit_a2, period=PERIOD)}
    assert rows["500103001"].late and rows["500103001"].on_time is False


def test_resubmission_keeps_the_timeliness_of_the_first_submission(officers, records, tree, unit_a, district_a,
                                                                   monkeypatch):
    r = _submit(unit_a, at=datetime(2026, 4, 1, tzinfo=UTC), monkeypatch=monkeypatch)
    services.monthly_report_return(report=r, actor=district_a, reason="补充")
    monkeypatch.setattr(services, "now", lambda: datetime(2026, 4, 20, tzinfo=UTC))
    monthly_report_submit(report=r, actor=unit_a)
    c = completeness(district_ids=[tree["500103"].pk], periods=[PERIOD])[(tree["500103"].pk, PERIOD)]
    assert c.on_time == 1


def test_units_launched_later_are_not_expected_and_never_push_rates_past_100(officers, records, tree, unit_a,
                                                                             city_admin, monkeypatch):
    CreatingUnit.objects.filter(org_unit__code="500103001").update(launched_on=date(2026, 6, 2))
    _submit(unit_a, at=datetime(2026, 4, 1, tzinfo=UTC), monkeypatch=monkeypatch)
    d = tree["500103"].pk
    data = completeness(district_ids=[d], periods=[PERIOD, date(2026, 6, 1)])
    assert data[(d, PERIOD)].expected == 1 and data[(d, PERIOD)].completeness == 100.0
    assert data[(d, date(2026, 6, 1))].expected == 2
    periods, rows, city = completeness_by_district(user=city_admin, year=2026)
    assert [r["district"]["name"] for r in rows] == ["渝中区", "沙坪坝区"]
    assert all(m.submitted <= m.expected for r in rows for m in r["months"])
