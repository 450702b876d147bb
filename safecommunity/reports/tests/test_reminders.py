from datetime import date

import pytest
from django.core.management import call_command

from safecommunity.core.models import Notification
from safecommunity.reports.models import MonthlyReport
from safecommunity.reports.services import reminders_send

pytestmark = pytest.mark.django_db


def test_units_that_have_not_submitted_are_reminded_once_before_the_deadline(officers, records, unit_a, unit_a2,
                                                                             unit_b, district_a):
    counts = reminders_send(today=date(2026, 4, 3))  # March reports, due 5 April
    assert counts["unit_reminders"] == 3
    assert Notification.objects.filter(user=unit_a, key=f"reports:due:2026-03:{unit_a.org_unit_id}").exists()
    assert not Notification.objects.filter(user=district_a).exists()
    assert reminders_send(today=date(2026, 4, 4))["unit_reminders"] == 0  # once per unit and month


def test_too_early_nobody_is_reminded(officers, records, unit_a):
    assert reminders_send(today=date(2026, 4, 1))["unit_reminders"] == 0


def test_after_the_deadline_the_district_is_told_which_units_are_missing(officers, records, unit_a, unit_a2,
                                                                         district_a, district_b):
    from safecommunity.reports.services import (
        monthly_report_create,
        monthly_report_submit,
        monthly_report_update,
    )

    r = monthly_report_create(org_unit=unit_a.org_unit, period=date(2026, 3, 1), actor=unit_a)
    monthly_report_update(report=r, actor=unit_a, is_nil=True)
    monthly_report_submit(report=r, actor=unit_a)
    reminders_send(today=date(2026, 4, 6))
    note = Notification.objects.get(user=district_a)
    assert "七星岗街道" in note.body and "解放碑街道" not in note.body
    assert "1" in note.title
    assert Notification.objects.filter(user=district_b).count() == 1
    assert not Notification.objects.filter(user=unit_a).exists()
    reminders_send(today=date(2026, 4, 7))
    assert Notification.objects.filter(user=district_a).count() == 1


def test_on_the_first_drafts_are_prepared_and_the_command_runs(officers, records, capsys):
    call_command("reports_remind", "--date", "2026-04-01")
    assert MonthlyReport.objects.filter(period=date(2026, 3, 1)).count() == 3
    assert "drafts: 3" in capsys.readouterr().out


def test_the_celery_task_runs_the_reminders(officers, records, monkeypatch):
    from safecommunity.reports import services, tasks

    seen = {}
    monkeypatch.setattr(services, "reminders_send", lambda **kw: seen.setdefault("ran", True) and {"ok": 1})
    assert tasks.send_reminders.delay().get() == {"ok": 1}
    from safecommunity.celery import app

    assert app.conf.beat_schedule["reports-daily-reminders"]["task"] == "reports.send_reminders"
