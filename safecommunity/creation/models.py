"""The creation lifecycle record, yearly plans and quotas, responsibility letters, the yearly
district assessment and the joint-meeting system.

The unit's current status lives on orgunits.CreatingUnit; every change of it is a
CreationTransition, written only by creation.services. Every other record here is written by
services too; views and the API only parse input and call them.
"""

from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.roles import Role
from safecommunity.core.scoping import NOTHING, ScopedQuerySet
from safecommunity.orgunits.models import CreatingUnit

from .choices import DistrictCategory, FollowUpStatus, LetterLevel


class TransitionQuerySet(ScopedQuerySet):
    scope_field = "creating_unit__org_unit"


class CreationTransition(models.Model):
    creating_unit = models.ForeignKey(
        CreatingUnit, verbose_name=_("creating unit"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("previous status"), max_length=20, choices=CreatingUnit.Status.choices)
    to_status = models.CharField(_("new status"), max_length=20, choices=CreatingUnit.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"), blank=True)
    document = models.ForeignKey(
        "archive.Attachment", verbose_name=_("document"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_until = models.DateField(
        _("title valid until"), null=True, blank=True, help_text=_("For a designation: when the title expires.")
    )

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("status transition")
        verbose_name_plural = _("status transitions")
        indexes = [models.Index(fields=["to_status", "effective_on"], name="creation_tr_to_on")]

    def __str__(self) -> str:
        return f"{self.creating_unit}: {self.get_from_status_display()} → {self.get_to_status_display()}"


# --- Yearly plan -----------------------------------------------------------------------------


class PlanYearQuerySet(ScopedQuerySet):
    """A plan year is the city's: the city office and every district office read it."""

    scope_field = None
    read_all_roles = frozenset({Role.CITY, Role.DISTRICT, Role.SYSADMIN})


class PlanYear(TimeStampedModel):
    """The city's plan for one year (年度计划) and its targets, opened by the city office.

    Targets are new launches/designations in the year, or (`targets_cumulative`) totals by the
    end of the year, as the notice states them for 2012.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    targets_cumulative = models.BooleanField(
        _("targets are cumulative"), default=False,
        help_text=_("Ticked: the targets are totals by the end of the year; else new in the year."),
    )
    target_launched = models.PositiveIntegerField(_("target: units launched"), default=0)
    target_city = models.PositiveIntegerField(_("target: Chongqing Safe Communities"), default=0)
    target_national = models.PositiveIntegerField(_("target: National Safe Communities"), default=0)
    target_international = models.PositiveIntegerField(_("target: International Safe Communities (at least)"),
                                                       default=0)
    target_international_max = models.PositiveIntegerField(
        _("target: International Safe Communities (at most)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = PlanYearQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("plan year")
        verbose_name_plural = _("plan years")

    def __str__(self) -> str:
        return _("Plan %(year)s") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("creation:plan_detail", args=[self.year])

    @property
    def international_label(self) -> str:
        if self.target_international_max and self.target_international_max != self.target_international:
            return f"{self.target_international}–{self.target_international_max}"
        return str(self.target_international)


def quota_for(percentage: Decimal, townships: int) -> int:
    """ceil(percentage % × townships), exact (Decimal, no float rounding)."""
    value = Decimal(percentage) * Decimal(townships) / Decimal(100)
    return int(value.to_integral_value(rounding=ROUND_CEILING))


class DistrictPlan(TimeStampedModel):
    """One district's row of a plan year: category, percentage and the resulting quota."""

    plan_year = models.ForeignKey(PlanYear, verbose_name=_("plan year"), on_delete=models.CASCADE,
                                  related_name="districts")
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("district/county"), on_delete=models.PROTECT,
                                 related_name="+", limit_choices_to={"level": "district"})
    category = models.CharField(_("category"), max_length=20, choices=DistrictCategory.choices,
                                default=DistrictCategory.OTHER)
    percentage = models.DecimalField(
        _("percentage of townships to launch"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    township_count = models.PositiveIntegerField(_("townships"), help_text=_("Counted when the year was opened."))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan_year", "org_unit__code"]
        verbose_name = _("district plan")
        verbose_name_plural = _("district plans")
        constraints = [models.UniqueConstraint(fields=["plan_year", "org_unit"], name="creation_districtplan_unique")]

    def __str__(self) -> str:
        return f"{self.plan_year.year} {self.org_unit}"

    @property
    def quota(self) -> int:
        return quota_for(self.percentage, self.township_count)


# --- Responsibility letters and the yearly assessment ---------------------------------------------


class ResponsibilityLetter(TimeStampedModel):
    """A target responsibility letter (目标责任书): city↔district or district↔creating unit.

    `org_unit` is the lower party (the district, or the creating unit's org unit), so that the
    district office sees its own letter and those with its units, and a unit sees its own.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])
    level = models.CharField(_("level"), max_length=20, choices=LetterLevel.choices)
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("signing unit"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    target_launched = models.PositiveIntegerField(_("target: units launched"), null=True, blank=True)
    target_designated = models.PositiveIntegerField(_("target: units designated"), null=True, blank=True)
    targets = models.TextField(_("targets and duties"))
    upper_signatory = models.CharField(_("signatory (issuing side)"), max_length=50)
    lower_signatory = models.CharField(_("signatory (receiving side)"), max_length=50)
    signed_on = models.DateField(_("signed on"))
    document = models.ForeignKey("archive.Attachment", verbose_name=_("scanned letter"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "level", "org_unit__code"]
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        constraints = [models.UniqueConstraint(fields=["year", "org_unit"], name="creation_letter_unique")]

    def __str__(self) -> str:
        return _("%(year)s responsibility letter of %(unit)s") % {"year": self.year, "unit": self.org_unit}

    def get_absolute_url(self) -> str:
        return reverse("creation:letter_detail", args=[self.pk])


class DistrictAssessment(TimeStampedModel):
    """The year-end assessment of a district (targets vs actual, score, remarks)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("district/county"), on_delete=models.PROTECT,
                                 related_name="+", limit_choices_to={"level": "district"})
    target_launched = models.PositiveIntegerField(_("target: units launched"), default=0)
    actual_launched = models.PositiveIntegerField(_("actual: units launched"), default=0)
    target_designated = models.PositiveIntegerField(_("target: units designated"), default=0)
    actual_designated = models.PositiveIntegerField(_("actual: units designated"), default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    remarks = models.TextField(_("remarks"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "org_unit__code"]
        verbose_name = _("district assessment")
        verbose_name_plural = _("district assessments")
        constraints = [models.UniqueConstraint(fields=["year", "org_unit"], name="creation_assessment_unique")]

    def __str__(self) -> str:
        return _("%(year)s assessment of %(unit)s") % {"year": self.year, "unit": self.org_unit}

    def get_absolute_url(self) -> str:
        return reverse("creation:assessment_edit", args=[self.pk])


# --- Joint-meeting system -------------------------------------------------------------------------


class JointMeetingMember(TimeStampedModel):
    """A member of a joint meeting (联席会议): a municipal department or a free-text member unit.

    `org_unit` is the level that runs the meeting: the city, or a district for its own system.
    """

    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("meeting of"), on_delete=models.PROTECT,
                                 related_name="+")
    department = models.ForeignKey("orgunits.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("member unit"), max_length=100)
    is_lead = models.BooleanField(_("lead unit"), default=False)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit__code", "-is_lead", "name"]
        verbose_name = _("joint-meeting member")
        verbose_name_plural = _("joint-meeting members")
        constraints = [models.UniqueConstraint(fields=["org_unit", "name"], name="creation_member_unique")]

    def __str__(self) -> str:
        return self.name


class JointMeeting(TimeStampedModel):
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("meeting of"), on_delete=models.PROTECT,
                                 related_name="+")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    chair = models.CharField(_("chaired by"), max_length=50, blank=True)
    attendees = models.ManyToManyField(JointMeetingMember, verbose_name=_("member units attending"), blank=True,
                                       related_name="meetings")
    other_attendees = models.TextField(_("other attendees"), blank=True)
    summary = models.TextField(pgettext_lazy("meeting", "summary"), blank=True)
    minutes = models.ForeignKey("archive.Attachment", verbose_name=_("minutes"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("creation:meeting_detail", args=[self.pk])


class MeetingDecisionQuerySet(ScopedQuerySet):
    scope_field = "meeting__org_unit"


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="decisions")
    number = models.PositiveSmallIntegerField(_("no."))
    text = models.TextField(_("decision"))

    objects = MeetingDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="creation_decision_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class FollowUpQuerySet(ScopedQuerySet):
    scope_field = "decision__meeting__org_unit"

    def department_q(self, user):
        """A municipal department sees the follow-ups it owns."""
        if not user.department_id:
            return NOTHING
        return models.Q(owner__department_id=user.department_id)


class FollowUp(TimeStampedModel):
    """A decision turned into a follow-up item (督办事项), tracked to done."""

    decision = models.ForeignKey(MeetingDecision, verbose_name=_("decision"), on_delete=models.CASCADE,
                                 related_name="follow_ups")
    task = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(JointMeetingMember, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="follow_ups")
    owner_text = models.CharField(_("owner (other)"), max_length=100, blank=True)
    due_on = models.DateField(pgettext_lazy("follow-up", "due on"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN, db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(pgettext_lazy("follow-up", "result"), blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-status", "due_on", "pk"]  # open items first
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")

    def __str__(self) -> str:
        return self.task

    def get_absolute_url(self) -> str:
        return reverse("creation:meeting_detail", args=[self.decision.meeting_id])

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_text

    def is_overdue(self, today) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_on < today
