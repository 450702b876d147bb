"""Building blocks every app uses: timestamps, code lists (字典) and in-app notifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .scoping import ALL_ROLES, NOTHING, ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class CodeList(models.Model):
    """A named list of codes a city can edit in the UI (字典), e.g. the 12 safety areas."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_system = models.BooleanField(
        _("system list"), default=False, help_text=_("System lists are referenced by code and cannot be deleted.")
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("code list")
        verbose_name_plural = _("code lists")

    def __str__(self) -> str:
        return self.name


class CodeItemQuerySet(ScopedQuerySet):
    """Code lists are reference data: every signed-in (active) user may read them."""

    scope_field = None
    read_all_roles = ALL_ROLES

    def of(self, key: str) -> "CodeItemQuerySet":
        return self.filter(codelist__key=key)

    def active(self) -> "CodeItemQuerySet":
        return self.filter(is_active=True)


class CodeItem(models.Model):
    codelist = models.ForeignKey(CodeList, verbose_name=_("code list"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CodeItemQuerySet.as_manager()

    class Meta:
        ordering = ["codelist", "sort_order", "code"]
        verbose_name = _("code item")
        verbose_name_plural = _("code items")
        constraints = [models.UniqueConstraint(fields=["codelist", "code"], name="core_codeitem_unique_code")]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Notification(models.Model):
    """An in-app notification. `key` makes a notice idempotent: one per (user, key)."""

    personal_records = True  # one user's own rows: their history is not for the system admin (reads_whole)

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Urgent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    key = models.CharField(_("key"), max_length=200, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="core_notification_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.title


class IdempotencyKey(models.Model):
    """A submission already stored: a phone that sends the same form again (queued offline,
    resent after a lost answer) gets the first result instead of a second record."""

    personal_records = True  # one user's own rows: their history is not for the system admin (reads_whole)

    key = models.CharField(_("key"), max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]

    def __str__(self) -> str:
        return self.key


class NotificationPreference(models.Model):
    """Where a user wants notices besides the bell (which always gets them), and the quiet
    hours in which nothing is sent outside the product (sent at their end instead)."""

    personal_records = True  # one user's own rows: their history is not for the system admin (reads_whole)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="notification_preference")
    channels = models.JSONField(_("channels"), default=list, blank=True)
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)
    urgent_in_quiet_hours = models.BooleanField(_("urgent notices even in quiet hours"), default=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class NotificationDelivery(models.Model):
    """One notice to send through one channel (e-mail, SMS, WeChat): when, and how it went."""

    personal_records = True  # one user's own rows: their history is not for the system admin (reads_whole)

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(Notification, verbose_name=_("notification"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=32)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField(_("due at"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    objects = models.Manager()

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"],
                                               name="core_delivery_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.notification}"


class JobQuerySet(ScopedQuerySet):
    """A job is its owner's alone: no office or administrator reads another user's jobs (their
    files may hold what only the owner may see), nor their history in the audit trail."""

    scope_field = None

    def scope_q(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return NOTHING
        return models.Q(owner=user)

    def active(self) -> "JobQuerySet":
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])


class Job(models.Model):
    """Long work run off the web request (core.jobs): an import, the analysis of a file, a large
    export, a zip. Its worker writes progress and a heartbeat; a job with no sign of life is
    interrupted (its worker died) and may be run again. The result file is the owner's alone."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job", "Queued")
        RUNNING = "running", pgettext_lazy("job", "Running")
        DONE = "done", pgettext_lazy("job", "Completed")
        FAILED = "failed", pgettext_lazy("job", "Failed")
        INTERRUPTED = "interrupted", pgettext_lazy("job", "Interrupted")
        CANCELLED = "cancelled", pgettext_lazy("job", "Cancelled")

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE,
                              related_name="jobs")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # what the job works on ("feeds.FeedUpload:12"): the page of that record shows the job's progress
    subject = models.CharField(_("subject"), max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    # A file the job made (not an upload: no Attachment, never in the archive), served only to the
    # owner by /jobs/<id>/file/ and deleted after JOB_RESULT_DAYS.
    result = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", max_length=300, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_url = models.CharField(_("result page"), max_length=500, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_job_owner_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int | None:
        """Done of total in percent; None while the total is not known."""
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, int(100 * self.done / self.total))
