"""Supervision inspections (检查督促, notice 五(二)) and the year-end analysis meeting (年底创建工作
分析会议, notice 四(三)).

The city or a district office plans an inspection round (a checklist taken from a scoring
scheme's items or typed as a custom list) over some creating units; each visit to a unit is an
Inspection, recorded on site item by item. Each problem found becomes a follow-up item owned by
the inspected unit with a deadline, tracked to closure. The follow-up items of creation's joint
meetings hang on meeting decisions and joint-meeting members, so inspections keep their own.

The year-end analysis meeting lives here too: it is the unit's own review of the year (the
scorecard's targets, computed), and the problems it finds are tracked as the same follow-up
items as an inspection's findings.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import ScopedQuerySet
from safecommunity.surveys.models import assigned_expert_q


class InspectionPlan(TimeStampedModel):
    """An inspection round planned by an office: which checklist, which units, when."""

    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("planned by"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    scheme = models.ForeignKey("evaluation.Scheme", verbose_name=_("checklist from scoring scheme"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must not be before the start date.")})


class ChecklistItemQuerySet(ScopedQuerySet):
    scope_field = "plan__org_unit"


class ChecklistItem(models.Model):
    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("checklist item"))
    scheme_item = models.ForeignKey("evaluation.SchemeItem", verbose_name=_("scheme item"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text[:60]


class InspectionQuerySet(ScopedQuerySet):
    def expert_q(self, user):
        return assigned_expert_q(user)


class Inspection(TimeStampedModel):
    """One visit to one creating unit, recorded on site."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RECORDED = "recorded", pgettext_lazy("inspection", "Recorded")

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.CASCADE,
                             related_name="inspections")
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("inspected unit"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    scheduled_on = models.DateField(_("scheduled on"), db_index=True)
    inspector = models.CharField(_("inspectors"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    summary = models.TextField(pgettext_lazy("inspection", "summary"), blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [models.UniqueConstraint(fields=["plan", "org_unit"], name="inspections_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.plan.title} · {self.org_unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])


class FindingQuerySet(ScopedQuerySet):
    scope_field = "inspection__org_unit"


class Finding(models.Model):
    """The result of one checklist item at one inspection."""

    class Result(models.TextChoices):
        OK = "ok", _("Meets the requirement")
        PROBLEM = "problem", _("Problem found")
        NA = "na", _("Not applicable")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("checklist item"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="findings")
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    note = models.TextField(_("what was found"), blank=True)
    photos = GenericRelation("archive.Attachment", related_query_name="+")

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "item__order", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.note[:60] or str(self.item)

    def get_absolute_url(self) -> str:
        return self.inspection.get_absolute_url()

    @property
    def org_unit(self):
        return self.inspection.org_unit


class FollowUpStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up", "Open")
    CLOSED = "closed", _("Closed")


class FollowUpQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=FollowUpStatus.OPEN)


class FollowUpItem(TimeStampedModel):
    """Something the owner unit must put right by a deadline (督办事项), from an inspection finding
    or from the year-end meeting's problems."""

    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("owner unit"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    finding = models.OneToOneField(Finding, verbose_name=_("finding"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="follow_up")
    review = models.ForeignKey("YearEndReview", verbose_name=_("year-end meeting"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="follow_ups")
    task = models.CharField(_("task"), max_length=300)
    due_on = models.DateField(pgettext_lazy("follow-up", "due on"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    result = models.TextField(pgettext_lazy("follow-up", "result"), blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-status", "due_on", "pk"]  # open items first
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")

    def __str__(self) -> str:
        return self.task

    def get_absolute_url(self) -> str:
        return reverse("inspections:followup_detail", args=[self.pk])

    def is_overdue(self, today) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_on < today


class YearEndReviewQuerySet(ScopedQuerySet):
    def expert_q(self, user):
        return assigned_expert_q(user)


class YearEndReview(TimeStampedModel):
    """The year-end analysis meeting of a creating unit (年底创建工作分析会议)."""

    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    year = models.PositiveSmallIntegerField(_("year reviewed"), db_index=True)
    held_on = models.DateField(_("date of the meeting"))
    chair = models.CharField(_("chaired by"), max_length=100)
    attendees = models.TextField(_("attendees"), blank=True)
    review = models.TextField(_("review of the year's targets"))
    problems = models.TextField(_("problems found"), blank=True,
                                help_text=_("One problem a line; each can become a follow-up item."))
    next_targets = models.TextField(_("next year's targets"))
    measures = models.TextField(_("measures"))
    evidence = GenericRelation("archive.Attachment", related_query_name="+")

    objects = YearEndReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "org_unit__code"]
        verbose_name = _("year-end analysis meeting")
        verbose_name_plural = _("year-end analysis meetings")
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="inspections_one_review_a_year")]

    def __str__(self) -> str:
        return _("%(unit)s year-end analysis %(year)s") % {"unit": self.org_unit.name, "year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("inspections:review_detail", args=[self.pk])

    def clean(self):
        if self.held_on and self.year and not (self.year <= self.held_on.year <= self.year + 1):
            raise ValidationError({"held_on": _("The meeting is held at the end of the year reviewed or early "
                                                "in the next.")})
