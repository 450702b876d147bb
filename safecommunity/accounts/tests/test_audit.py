"""The audit trail follows the scoping rule: a role reads the history of the records it reads
whole (the city office: all; the system administrator: accounts and settings, never a unit's
hazards or reports), in Chinese names and human values."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from safecommunity.accounts.views import readable_content_types
from safecommunity.hazards.models import Hazard
from safecommunity.hazards.tests.factories import report

pytestmark = pytest.mark.django_db


def test_the_system_admin_reads_settings_history_but_not_hazards(client_for, city_admin, sysadmin, unit_a):
    hazard = report(unit_a, address="解放碑步行街 99 号")
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Hazard)).exists()
    hazard_type = ContentType.objects.get_for_model(Hazard)
    assert hazard_type not in readable_content_types(sysadmin)
    assert hazard_type in readable_content_types(city_admin)
    admin_page = client_for(sysadmin).get("/accounts/audit/").content.decode()
    city_page = client_for(city_admin).get("/accounts/audit/").content.decode()
    assert str(hazard) in city_page and str(hazard) not in admin_page
    # asking for the type by hand does not help
    response = client_for(sysadmin).get(f"/accounts/audit/?content_type={hazard_type.pk}")
    assert str(hazard) not in response.content.decode()


def test_the_audit_trail_reads_chinese_names_and_values(client_for, sysadmin, unit_a):
    client_for(sysadmin).post(f"/accounts/users/{unit_a.pk}/", {
        "username": unit_a.username, "full_name": "刘信息员", "role": "unit", "org_unit": unit_a.org_unit_id,
        "phone": "", "title": "", "is_active": "on"})
    unit_a.refresh_from_db()
    page = client_for(sysadmin).get("/accounts/audit/").content.decode()
    assert "用户" in page  # the record type, not "user"
    entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(unit_a))).first()
    assert entry is not None


def test_related_records_are_named_only_when_the_reader_may_see_them(unit_a, city_admin, sysadmin):
    from safecommunity.accounts.views import _changes

    hazard = report(unit_a)
    entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Hazard),
                                    object_id=hazard.pk).order_by("timestamp").first()
    text_city = _changes(entry, city_admin)
    assert "解放碑街道" in text_city  # the org unit by name, with its Chinese field name
    assert "None" not in text_city and "ID:" not in text_city
    assert "发现日期: — → " in text_city


def test_the_newer_apps_changes_are_on_the_city_trail_and_not_the_admins(client_for, city_admin, sysadmin, unit_a):
    """Surveys, inspections, patrols and the league table are audited like the rest: the city
    office reads their history, the system administrator not a unit's patrol points."""
    import datetime
    from decimal import Decimal

    from safecommunity.hazards.tests.factories import unit
    from safecommunity.patrols import services as patrols
    from safecommunity.patrols.models import PatrolPoint

    point = patrols.point_save(actor=unit_a, org_unit=unit("500103003"), name="消防通道审计点", place="解放碑步行街 8 号",
                               latitude=Decimal("29.557700"), longitude=Decimal("106.577000"), checklist="通道畅通\n",
                               every_days=7, window_start=datetime.time(8), window_end=datetime.time(18),
                               max_distance_m=100)
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(PatrolPoint),
                                   object_id=point.pk).exists()
    assert "消防通道审计点" in client_for(city_admin).get("/accounts/audit/").content.decode()
    assert "消防通道审计点" not in client_for(sysadmin).get("/accounts/audit/").content.decode()
    city_types = {f"{ct.app_label}.{ct.model}" for ct in readable_content_types(city_admin)}
    for label in ("surveys.surveyround", "inspections.inspection", "patrols.patrol", "league.weights"):
        assert label in city_types


def test_the_admin_reads_no_ones_notifications_nor_a_units_many_to_many_rows(city_admin, sysadmin):
    """Notifications quote other units' records; a hazard step's photo list is the hazard's."""
    from safecommunity.core.models import Notification
    from safecommunity.hazards.models import HazardStep

    admin_types = set(readable_content_types(sysadmin))
    photos = ContentType.objects.get_for_model(HazardStep.photos.through)
    notifications = ContentType.objects.get_for_model(Notification)
    assert photos not in admin_types and notifications not in admin_types
    assert {photos, notifications} <= set(readable_content_types(city_admin))
    assert ContentType.objects.get_for_model(type(sysadmin)) in admin_types  # accounts stay theirs
