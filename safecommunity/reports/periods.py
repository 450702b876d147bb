"""Months, deadlines and timeliness, in the city's time zone (Asia/Shanghai).

Rule: the report of month M is due on the 5th of month M+1 unless a `ReportDeadline` row says
otherwise. It is on time when it was *first* submitted before the end of the due day, local
time (23:30 on the 5th is on time although it is 15:30 UTC; 00:30 on the 6th is late). A report
returned and resubmitted keeps the timeliness of its first submission.
"""

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

DEFAULT_DUE_DAY = 5
# A district summary adds up its units' approved reports, so it is due this many days later.
DISTRICT_SUMMARY_EXTRA_DAYS = 5


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def add_months(period: date, n: int) -> date:
    idx = period.year * 12 + period.month - 1 + n
    return date(idx // 12, idx % 12 + 1, 1)


def current_period() -> date:
    """The month whose report is being written now: the previous month (local date)."""
    return add_months(month_start(timezone.localdate()), -1)


def parse_period(value, default: date | None = None) -> date | None:
    """'2026-03' or '2026-03-01' → date(2026, 3, 1); None (or default) when unreadable."""
    if isinstance(value, date):
        return month_start(value)
    try:
        parts = str(value).strip().split("-")
        return date(int(parts[0]), int(parts[1]), 1)
    except (ValueError, IndexError, TypeError):
        return default


def period_param(params, name: str = "period") -> date:
    """The month asked for in `params` (?period=2026-03), the current period when absent; a value
    that is no month between 2000 and 2100 is refused (core.params.BadParameter: 400)."""
    from django.utils.translation import gettext as _

    from safecommunity.core.params import YEAR_MAX, YEAR_MIN, BadParameter

    raw = (params.get(name) or "").strip()
    if not raw:
        return current_period()
    period = parse_period(raw) if len(raw) <= 10 else None
    if period is None or not YEAR_MIN <= period.year <= YEAR_MAX:
        raise BadParameter(name, _("%(name)s: give a month such as 2026-03 (not “%(value)s”).") % {
            "name": name, "value": raw[:20]})
    return period


def default_due_on(period: date) -> date:
    nxt = add_months(period, 1)
    return nxt.replace(day=min(DEFAULT_DUE_DAY, calendar.monthrange(nxt.year, nxt.month)[1]))


def due_dates(periods) -> dict[date, date]:
    from .models import ReportDeadline

    periods = {month_start(p) for p in periods}
    overrides = dict(ReportDeadline.objects.filter(period__in=periods).values_list("period", "due_on"))
    return {p: overrides.get(p, default_due_on(p)) for p in periods}


def due_on(period: date) -> date:
    return due_dates([period])[month_start(period)]


def summary_due(due: date) -> date:
    return due + timedelta(days=DISTRICT_SUMMARY_EXTRA_DAYS)


def deadline_at(due: date) -> datetime:
    """The first instant that is late: midnight after the due day, local time."""
    return datetime.combine(due + timedelta(days=1), time.min, tzinfo=local_tz())


def is_on_time(submitted_at: datetime | None, due: date) -> bool | None:
    if submitted_at is None:
        return None
    return submitted_at < deadline_at(due)


def previous_months(n: int = 24) -> list[date]:
    """The current month and the n-1 months before it, newest first."""
    this = month_start(timezone.localdate())
    return [add_months(this, -i) for i in range(n)]
