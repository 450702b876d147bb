"""Overdue is computed on dates in Asia/Shanghai; notifications go out once per deadline."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from safecommunity.core.models import Notification
from safecommunity.hazards import services
from safecommunity.hazards.choices import Action, Status
from safecommunity.hazards.models import Hazard
from safecommunity.hazards.tests.factories import report
from safecommunity.orgunits.models import Department

pytestmark = pytest.mark.django_db


def at_utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("now, today", [
    (at_utc(2026, 1, 31, 15, 59), date(2026, 1, 31)),  # 23:59 in Chongqing
    (at_utc(2026, 1, 31, 16, 0), date(2026, 2, 1)),  # midnight in Chongqing: already February
    (at_utc(2026, 2, 28, 16, 30), date(2026, 3, 1)),  # month end, not a leap year
    (at_utc(2028, 2, 28, 16, 30), date(2028, 2, 29)),  # leap year
    (at_utc(2026, 12, 31, 16, 0), date(2027, 1, 1)),  # year end
])
def test_local_today_is_the_date_in_chongqing_whatever_zone_is_active(now, today):
    with timezone.override("America/New_York"):
        assert services.local_today(now) == today
    assert services.local_today(now) == today


@pytest.fixture
def assigned(unit_a, district_a, dept_ga):
    hazard = report(unit_a)
    services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=hazard.org_unit,
                           department=Department.objects.get(code="GA"))
    Notification.objects.all().delete()
    return hazard


def _with_deadline(hazard, deadline):
    Hazard.objects.filter(pk=hazard.pk).update(deadline=deadline)
    hazard.refresh_from_db()
    return hazard


@pytest.mark.parametrize("deadline, today, late", [
    (date(2026, 1, 31), date(2026, 1, 31), False),  # the deadline day itself is in time
    (date(2026, 1, 31), date(2026, 2, 1), True),  # across a month end
    (date(2026, 2, 28), date(2026, 3, 1), True),
    (date(2026, 12, 31), date(2027, 1, 1), True),  # across a year end
    (date(2026, 3, 1), date(2026, 2, 28), False),
])
def test_overdue_when_local_today_is_after_the_deadline(assigned, deadline, today, late):
    hazard = _with_deadline(assigned, deadline)
    assert hazard.is_overdue_on(today) is late
    assert Hazard.objects.overdue(today).filter(pk=hazard.pk).exists() is late


def test_the_daily_job_uses_the_chongqing_date_not_utc(assigned, unit_a):
    _with_deadline(assigned, date(2026, 1, 31))
    with mock.patch("django.utils.timezone.now", return_value=at_utc(2026, 1, 31, 15, 59)):
        assert services.hazards_overdue_notify()["overdue"] == 0
    with mock.patch("django.utils.timezone.now", return_value=at_utc(2026, 1, 31, 16, 1)):
        assert services.hazards_overdue_notify()["overdue"] == 1
    assert Notification.objects.filter(user=unit_a, level="danger").count() == 1


def test_a_closed_hazard_is_never_overdue(hazard, run_loop):
    hazard = run_loop(hazard, "closed")
    hazard = _with_deadline(hazard, date(2020, 1, 1))
    assert not hazard.is_overdue
    assert services.hazards_overdue_notify()["overdue"] == 0


def test_overdue_notifies_unit_district_and_department_once(assigned, unit_a, district_a, dept_ga, district_b,
                                                            unit_a2):
    hazard = _with_deadline(assigned, services.local_today() - timedelta(days=1))
    first = services.hazards_overdue_notify()
    assert first == {"overdue": 1, "notified": 3}
    for user in (unit_a, district_a, dept_ga):
        assert Notification.objects.filter(user=user, key__startswith=f"hazard-overdue:{hazard.pk}:").count() == 1
    for user in (district_b, unit_a2):
        assert not Notification.objects.filter(user=user).exists()
    # The next days send nothing new ...
    assert services.hazards_overdue_notify()["notified"] == 0
    assert services.hazards_overdue_notify(today=services.local_today() + timedelta(days=3))["notified"] == 0
    assert Notification.objects.filter(key__startswith="hazard-overdue:").count() == 3
    assert hazard.steps.filter(action=Action.OVERDUE).count() == 1
    # ... until the deadline changes and passes again.
    services.hazard_set_deadline(hazard=hazard, actor=district_a, deadline=services.local_today(), note="延期")
    assert services.hazards_overdue_notify()["notified"] == 0
    assert services.hazards_overdue_notify(today=services.local_today() + timedelta(days=1))["notified"] == 3
    assert Notification.objects.filter(key__startswith="hazard-overdue:").count() == 6


def test_the_management_command_runs_the_task(assigned, unit_a, capsys):
    _with_deadline(assigned, services.local_today() - timedelta(days=2))
    call_command("hazards_overdue")
    assert "1" in capsys.readouterr().out
    assert Notification.objects.filter(user=unit_a, level="danger").count() == 1
    call_command("hazards_overdue")
    assert Notification.objects.filter(user=unit_a, level="danger").count() == 1


def test_the_task_is_on_the_beat_schedule():
    from safecommunity.celery import app
    from safecommunity.hazards import tasks

    entry = app.conf.beat_schedule["hazards-overdue-daily"]
    assert entry["task"] == tasks.hazards_overdue.name


def test_overdue_hazards_appear_in_the_work_lists(assigned, district_a, dept_ga, unit_a, district_b):
    from safecommunity.hazards.selectors import hazard_worklist

    services.hazard_start(hazard=assigned, actor=unit_a)
    hazard = _with_deadline(assigned, services.local_today() - timedelta(days=1))
    assert hazard.status == Status.RECTIFYING
    for user in (district_a, dept_ga, unit_a):
        assert hazard_worklist(user).filter(pk=hazard.pk).exists()
    assert not hazard_worklist(district_b).filter(pk=hazard.pk).exists()


def test_the_red_flag_on_pages_uses_the_chongqing_date_too(assigned):
    hazard = _with_deadline(assigned, date(2026, 1, 31))
    with timezone.override("UTC"):  # a process or request running in another zone
        with mock.patch("django.utils.timezone.now", return_value=at_utc(2026, 1, 31, 16, 30)):
            assert hazard.is_overdue and hazard.overdue_days == 1
        with mock.patch("django.utils.timezone.now", return_value=at_utc(2026, 1, 31, 15, 30)):
            assert not hazard.is_overdue
