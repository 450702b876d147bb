"""Notification channels beyond the bell. `core.services.notify` writes the in-app notice (the
bell: always) and hands it to `dispatch`, which queues one delivery per channel the user chose
(e-mail built in; SMS and WeChat work notices are backends a deployment writes and names by
dotted path in settings), due at once or at the end of the user's quiet hours.

    SAFECOMMUNITY_NOTIFICATION_CHANNELS = [
        "safecommunity.core.notifications.EmailChannel",
        "mycity.notify.AliyunSMS",          # a subclass of SMSChannel: send_text(phone, text)
        "mycity.notify.WeComWork",          # a subclass of WeChatWorkChannel: send_text(userid, text)
    ]

`deliver_due()` (a Celery task every few minutes, and right after the transaction for notices
due now) sends what is due; a failure is kept on the delivery row with its error.
"""

import datetime
import logging
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationDelivery, NotificationPreference

logger = logging.getLogger(__name__)
DEFAULT_CHANNELS = ["safecommunity.core.notifications.EmailChannel"]


class Channel:
    """A way to reach a user outside the product. Subclasses set `key`, `label` and `send`."""

    key = ""
    label = ""

    def available_for(self, user) -> bool:
        """Whether the user has what this channel needs (an e-mail address, a phone number…)."""
        return True

    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    @staticmethod
    def text(notification: Notification) -> str:
        parts = [notification.title, notification.body]
        if notification.url:
            parts.append(getattr(settings, "SITE_URL", "").rstrip("/") + notification.url)
        return "\n".join(p for p in parts if p)


class EmailChannel(Channel):
    key = "email"
    label = _("E-mail")

    def available_for(self, user) -> bool:
        return bool(getattr(user, "email", ""))

    def send(self, notification):
        send_mail(subject=notification.title, message=self.text(notification), from_email=None,
                  recipient_list=[notification.user.email], fail_silently=False)


class SMSChannel(Channel):
    """Base of an SMS backend: a deployment implements `send_text(phone, text)` for its gateway."""

    key = "sms"
    label = _("SMS")
    phone_attribute = "phone"

    def available_for(self, user) -> bool:
        return bool(getattr(user, self.phone_attribute, ""))

    def send(self, notification):
        self.send_text(getattr(notification.user, self.phone_attribute), self.text(notification))

    def send_text(self, phone: str, text: str) -> None:  # pragma: no cover - deployment's
        raise NotImplementedError


class WeChatWorkChannel(Channel):
    """Base of a WeChat Work (企业微信) work-notice backend: implement `send_text(userid, text)`;
    the user id is the user's username unless `userid_for` says otherwise."""

    key = "wechat"
    label = _("WeChat work notice")

    def userid_for(self, user) -> str:
        return user.get_username()

    def send(self, notification):
        self.send_text(self.userid_for(notification.user), self.text(notification))

    def send_text(self, userid: str, text: str) -> None:  # pragma: no cover - deployment's
        raise NotImplementedError


@cache
def channels() -> dict[str, Channel]:
    """The configured channels by key (settings.SAFECOMMUNITY_NOTIFICATION_CHANNELS)."""
    found = {}
    for path in getattr(settings, "SAFECOMMUNITY_NOTIFICATION_CHANNELS", DEFAULT_CHANNELS):
        channel = import_string(path)()
        found[channel.key] = channel
    return found


def preference(user) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def quiet_until(pref: NotificationPreference, now: datetime.datetime) -> datetime.datetime | None:
    """The end of the quiet hours `now` falls in (local time; they may span midnight), or None."""
    if pref.quiet_start is None or pref.quiet_end is None or pref.quiet_start == pref.quiet_end:
        return None
    local = timezone.localtime(now)
    t, start, end = local.time(), pref.quiet_start, pref.quiet_end
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=local.tzinfo)


def dispatch(notification: Notification, now: datetime.datetime | None = None) -> list[NotificationDelivery]:
    """Queue the notice on each channel the user chose; send those due now after the commit."""
    now = now or timezone.now()
    pref = preference(notification.user)
    wanted = [channels()[k] for k in pref.channels if k in channels()]
    wanted = [c for c in wanted if c.available_for(notification.user)]
    if not wanted:
        return []
    later = quiet_until(pref, now)
    if later and notification.level == Notification.Level.DANGER and pref.urgent_in_quiet_hours:
        later = None
    rows = [NotificationDelivery.objects.create(notification=notification, channel=c.key, due_at=later or now)
            for c in wanted]
    if later is None:
        transaction.on_commit(lambda: deliver_due(ids=[r.pk for r in rows]))
    return rows


def deliver_due(*, now: datetime.datetime | None = None, ids: list[int] | None = None, batch: int = 500) -> int:
    """Send the deliveries that are due (or these `ids`); returns how many were sent."""
    now = now or timezone.now()
    qs = NotificationDelivery.objects.filter(state=NotificationDelivery.State.PENDING, due_at__lte=now)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    sent = 0
    for d in qs.select_related("notification__user")[:batch]:
        channel = channels().get(d.channel)
        try:
            if channel is None:
                raise LookupError(f"channel {d.channel} is not configured")
            channel.send(d.notification)
        except Exception as exc:  # noqa: BLE001 - one gateway's failure must not stop the others
            logger.warning("notification delivery %s via %s failed: %s", d.pk, d.channel, exc)
            d.state, d.error = NotificationDelivery.State.FAILED, str(exc)[:300]
        else:
            d.state, d.sent_at = NotificationDelivery.State.SENT, timezone.now()
            sent += 1
        d.save(update_fields=["state", "error", "sent_at"])
    return sent
