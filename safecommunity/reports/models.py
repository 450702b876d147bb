"""Monthly progress reports (创建进度月报), their review steps, versions and comments.

A `MonthlyReport` is the report of one org unit for one month (`period` = first day of the
month): a creating unit's report, or a district's monthly summary. Its figures are a JSON
snapshot of what the apps' `monthly_figures` plugins returned when it was last built or
submitted: a document as submitted, not live aggregated data (reconciliation compares it
with the records later). Every state change goes through `reports.services`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import ScopedQuerySet
from safecommunity.orgunits.models import OrgUnit


class InformationOfficer(TimeStampedModel):
    """An information officer (信息员) of a creating unit or a district; reports are signed by one."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="information_officers"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="information_officer_roles",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=50, blank=True)
    is_active = models.BooleanField(pgettext_lazy("person", "active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit__code", "name"]
        verbose_name = _("information officer")
        verbose_name_plural = _("information officers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:officer_edit", args=[self.pk])


class ReportDeadline(models.Model):
    """The due date of the reports of one month, when it differs from the default (the 5th of
    the next month). A report is on time if first submitted by the end of that day, Asia/Shanghai."""

    period = models.DateField(_("month"), unique=True)
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} → {self.due_on:%Y-%m-%d}"


class MonthlyReportQuerySet(ScopedQuerySet):
    def units(self):
        return self.filter(kind=MonthlyReport.Kind.UNIT)

    def district_summaries(self):
        return self.filter(kind=MonthlyReport.Kind.DISTRICT)


class MonthlyReport(TimeStampedModel):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Creating unit report")
        DISTRICT = "district", _("District summary")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        DISTRICT_APPROVED = "district_approved", _("Approved by the district")
        APPROVED = "approved", _("Approved by the city")

    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT,
                                 related_name="monthly_reports")
    district = models.ForeignKey(OrgUnit, verbose_name=_("district/county"), on_delete=models.PROTECT,
                                 related_name="+", help_text=_("The district of the org unit (kept for fast totals)."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UNIT)
    period = models.DateField(_("month"), help_text=_("First day of the month reported on."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_nil = models.BooleanField(_("nil report"), default=False,
                                 help_text=_("Nothing to report this month (零报告): a report, not a missing one."))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_built_at = models.DateTimeField(_("figures built at"), null=True, blank=True)
    work_done = models.TextField(_("work done this month"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_plans = models.TextField(_("plans for next month"), blank=True)
    signed_by = models.ForeignKey(InformationOfficer, verbose_name=_("signed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveIntegerField(_("version"), default=0)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(pgettext_lazy("monthly report", "submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    last_action_at = models.DateTimeField(_("last action at"), null=True, blank=True)
    last_actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last acted by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = MonthlyReportQuerySet.as_manager()

    LOCKED = (Status.DISTRICT_APPROVED, Status.APPROVED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    RECEIVED = (Status.SUBMITTED, Status.DISTRICT_APPROVED, Status.APPROVED)

    class Meta:
        ordering = ["-period", "org_unit__code"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "period"], name="reports_one_report_per_unit_month"),
        ]
        indexes = [
            models.Index(fields=["period", "status"], name="reports_period_status"),
            models.Index(fields=["district", "period", "kind"], name="reports_district_period"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit.name} {self.period:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_received(self) -> bool:
        return self.status in self.RECEIVED


class ReportChildQuerySet(ScopedQuerySet):
    """A report's steps, versions, comments and unlock requests: seen with their report."""

    scope_field = "report__org_unit"
    parent_field = "report"


class ReportStep(models.Model):
    """One step of a report's workflow: who did what, when, with which note."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("monthly report", "Created")
        SUBMIT = "submit", _("Submitted")
        DISTRICT_APPROVE = "district_approve", _("Approved by the district")
        CITY_APPROVE = "city_approve", _("Approved by the city")
        RETURN = "return", _("Returned")
        UNLOCK_REQUEST = "unlock_request", _("Unlock requested")
        UNLOCK_GRANT = "unlock_grant", _("Unlock granted")
        UNLOCK_REFUSE = "unlock_refuse", _("Unlock refused")

    report = models.ForeignKey(MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="steps")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=MonthlyReport.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=MonthlyReport.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), db_index=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    batch = models.CharField(_("bulk batch"), max_length=36, blank=True,
                             help_text=_("Set when the step was one of a bulk approval."))

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")

    def __str__(self) -> str:
        return f"{self.report}: {self.get_action_display()}"


class ReportVersion(models.Model):
    """What was submitted each time: the reviewer compares the last two."""

    report = models.ForeignKey(MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    figures = models.JSONField(_("figures"), default=dict)
    is_nil = models.BooleanField(_("nil report"), default=False)
    work_done = models.TextField(_("work done this month"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_plans = models.TextField(_("plans for next month"), blank=True)
    signed_by_name = models.CharField(_("signed by"), max_length=50, blank=True)
    submitted_at = models.DateTimeField(pgettext_lazy("monthly report", "submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reports_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReportComment(models.Model):
    """A reviewer's comment on one field of a report (or on the report as a whole)."""

    report = models.ForeignKey(MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="comments")
    field = models.CharField(_("field"), max_length=64, blank=True,
                             help_text=_("A narrative field, figures.<key>, or empty for the whole report."))
    text = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"))
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self) -> str:
        return self.text[:40]


class UnlockRequest(models.Model):
    """A unit's (or district's) request to reopen an approved report; the approver decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    report = models.ForeignKey(MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="unlock_requests")
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("unlock request")
        verbose_name_plural = _("unlock requests")
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=models.Q(status="pending"),
                                    name="reports_one_pending_unlock"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_status_display()}"
