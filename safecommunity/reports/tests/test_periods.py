"""Deadline and timeliness arithmetic in Asia/Shanghai."""

from datetime import UTC, date, datetime

import pytest

from safecommunity.reports.models import ReportDeadline
from safecommunity.reports.periods import (
    add_months,
    deadline_at,
    default_due_on,
    due_on,
    is_on_time,
    month_end,
)


def test_the_default_deadline_is_the_5th_of_the_next_month():
    assert default_due_on(date(2026, 3, 1)) == date(2026, 4, 5)
    assert default_due_on(date(2026, 12, 1)) == date(2027, 1, 5)
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_2330_on_the_5th_local_is_on_time_although_it_is_1530_utc():
    due = date(2026, 4, 5)
    submitted = datetime(2026, 4, 5, 15, 30, tzinfo=UTC)  # 23:30 in Chongqing
    assert is_on_time(submitted, due) is True


def test_0030_on_the_6th_local_is_late_although_it_is_still_the_5th_utc():
    due = date(2026, 4, 5)
    submitted = datetime(2026, 4, 5, 16, 30, tzinfo=UTC)  # 00:30 on the 6th in Chongqing
    assert is_on_time(submitted, due) is False
    assert deadline_at(due) == datetime(2026, 4, 5, 16, 0, tzinfo=UTC)
    assert is_on_time(None, due) is None


@pytest.mark.django_db
def test_a_deadline_set_by_the_city_replaces_the_default():
    ReportDeadline.objects.create(period=date(2026, 9, 1), due_on=date(2026, 10, 9), note="国庆")
    assert due_on(date(2026, 9, 1)) == date(2026, 10, 9)
    assert due_on(date(2026, 8, 1)) == date(2026, 9, 5)
    late_by_default = datetime(2026, 10, 8, 2, 0, tzinfo=UTC)
    assert is_on_time(late_by_default, due_on(date(2026, 9, 1))) is True
