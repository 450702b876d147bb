"""Notifications beyond the bell: the user's channels, quiet hours, urgent notices, and backends
a deployment configures by dotted path; notify(...) keeps its signature and its once-per-key."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from safecommunity.core import notifications
from safecommunity.core.models import Notification, NotificationDelivery
from safecommunity.core.services import notification_preference_set, notify

pytestmark = pytest.mark.django_db
CQ = ZoneInfo("Asia/Shanghai")
SENT = []


class FakeSMS(notifications.SMSChannel):
    def available_for(self, user):
        return True

    def send_text(self, phone, text):
        SENT.append(("sms", text))


class BrokenWeChat(notifications.WeChatWorkChannel):
    def send_text(self, userid, text):
        raise ConnectionError("gateway down")


@pytest.fixture
def configured(settings):
    settings.SAFECOMMUNITY_NOTIFICATION_CHANNELS = [
        "safecommunity.core.notifications.EmailChannel",
        "safecommunity.core.tests.test_notification_channels.FakeSMS",
        "safecommunity.core.tests.test_notification_channels.BrokenWeChat",
    ]
    notifications.channels.cache_clear()
    SENT.clear()
    yield
    notifications.channels.cache_clear()


def test_without_a_choice_only_the_bell(unit_a, configured, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(users=[unit_a], title="隐患已交办", url="/hazards/1/", key="k1") == 1
    assert Notification.objects.count() == 1 and not NotificationDelivery.objects.exists() and not mail.outbox


def test_chosen_channels_get_it_once_and_a_failure_is_kept(unit_a, configured, django_capture_on_commit_callbacks):
    unit_a.email = "liu@example.cn"
    unit_a.save()
    notification_preference_set(actor=unit_a, channels=["email", "sms", "wechat"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[unit_a], title="隐患已交办", url="/hazards/1/", key="k1")
        notify(users=[unit_a], title="隐患已交办", url="/hazards/1/", key="k1")  # same key: nothing new
    assert [m.subject for m in mail.outbox] == ["隐患已交办"] and "/hazards/1/" in mail.outbox[0].body
    assert SENT == [("sms", "隐患已交办\n/hazards/1/")]
    states = dict(NotificationDelivery.objects.values_list("channel", "state"))
    assert states == {"email": "sent", "sms": "sent", "wechat": "failed"}
    assert "gateway down" in NotificationDelivery.objects.get(channel="wechat").error


def test_quiet_hours_hold_it_back_until_they_end_but_not_an_urgent_one(unit_a, configured):
    notification_preference_set(actor=unit_a, channels=["sms"], quiet_start=datetime.time(22),
                                quiet_end=datetime.time(7), urgent_in_quiet_hours=True)
    night = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=CQ)
    calm = Notification.objects.create(user=unit_a, title="月报已退回")
    [held] = notifications.dispatch(calm, now=night)
    assert held.due_at == datetime.datetime(2026, 3, 3, 7, 0, tzinfo=CQ)
    assert notifications.deliver_due(now=night) == 0 and SENT == []
    assert notifications.deliver_due(now=datetime.datetime(2026, 3, 3, 7, 1, tzinfo=CQ)) == 1
    urgent = Notification.objects.create(user=unit_a, title="隐患逾期", level="danger")
    [now] = notifications.dispatch(urgent, now=night)
    assert now.due_at == night


def test_an_unknown_channel_is_refused_naming_the_field(unit_a, configured):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        notification_preference_set(actor=unit_a, channels=["pigeon"])
    assert "channels" in exc.value.message_dict


def test_the_settings_page(client_for, unit_a, configured):
    client = client_for(unit_a)
    assert client.get("/core/notifications/settings/").status_code == 200
    r = client.post("/core/notifications/settings/", {"channels": ["sms"], "quiet_start": "22:00"})
    assert r.status_code == 200 and "quiet_end" in r.context["form"].errors
    r = client.post("/core/notifications/settings/", {"channels": ["sms"], "quiet_start": "22:00",
                                                      "quiet_end": "07:00"})
    assert r.status_code == 302 and notifications.preference(unit_a).channels == ["sms"]
