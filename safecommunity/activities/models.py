"""Publicity and training events, emergency capacity (plans, equipment, teams, drills) and
creation meetings of a unit (or, for district-level trainings, of a district)."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import ScopedQuerySet


class EventType(models.TextChoices):
    """The four kinds of emergency the notice names (四(三))."""

    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    ACCIDENT = "accident", _("Accident")
    PUBLIC_HEALTH = "public_health", _("Public health event")
    SOCIAL_SECURITY = "social_security", _("Social security event")


class UnitRecord(TimeStampedModel):
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="+", db_index=True)
    evidence = GenericRelation("archive.Attachment", related_query_name="+")

    objects = ScopedQuerySet.as_manager()

    # the url name of the record's pages, set by each model
    url_base = ""

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(f"activities:{self.url_base}_detail", args=[self.pk])


class Activity(UnitRecord):
    """A publicity, training or lecture event (宣传培训)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        LECTURE = "lecture", _("Lecture")
        PUBLICITY = "publicity", _("Publicity campaign")
        STANDARDS_TRAINING = "standards_training", _("Standards-and-methods training for staff")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), db_index=True)
    audience = models.CharField(_("audience group"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    organiser = models.CharField(_("organiser"), max_length=100)
    location = models.CharField(_("location"), max_length=200, blank=True)
    safety_area = models.ForeignKey("core.CodeItem", verbose_name=_("safety area"), null=True, blank=True,
                                    on_delete=models.PROTECT, limit_choices_to={"codelist__key": "safety_area"},
                                    related_name="+")
    content = models.TextField(pgettext_lazy("activity", "content"), blank=True)
    url_base = "activity"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("publicity or training event")
        verbose_name_plural = _("publicity and training events")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.participants is not None and self.participants > 1_000_000:
            raise ValidationError({"participants": _("This number of participants is not plausible; check it.")})


class EmergencyPlan(UnitRecord):
    """An emergency plan (应急预案) for one type of event."""

    event_type = models.CharField(_("event type"), max_length=20, choices=EventType.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=30)
    approved_on = models.DateField(_("approval date"))
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    url_base = "plan"

    class Meta:
        ordering = ["event_type", "-approved_on"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Equipment(UnitRecord):
    """Emergency equipment and facilities (应急器材和设施)."""

    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=50, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    location = models.CharField(_("location"), max_length=200)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    next_check_on = models.DateField(_("next check due"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    url_base = "equipment"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("equipment or facility")
        verbose_name_plural = _("equipment and facilities")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.last_checked_on and self.next_check_on and self.next_check_on < self.last_checked_on:
            raise ValidationError({"next_check_on": _("The next check is due before the last check.")})
        if self.acquired_on and self.retired_on and self.retired_on < self.acquired_on:
            raise ValidationError({"retired_on": _("The retirement date is before the acquisition date.")})


class EmergencyTeam(UnitRecord):
    """An emergency team (应急队伍)."""

    name = models.CharField(_("team name"), max_length=100)
    leader = models.CharField(_("leader"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    established_on = models.DateField(_("established on"))
    duties = models.TextField(_("duties"), blank=True)
    url_base = "team"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("emergency team")
        verbose_name_plural = _("emergency teams")

    def __str__(self) -> str:
        return self.name


class TeamMemberQuerySet(ScopedQuerySet):
    scope_field = "team__org_unit"
    parent_field = "team"


class TeamMember(models.Model):
    team = models.ForeignKey(EmergencyTeam, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("role in the team"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["team", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name

    @property
    def org_unit(self):
        return self.team.org_unit


class Drill(UnitRecord):
    """An emergency drill (应急演练)."""

    title = models.CharField(_("title"), max_length=200)
    event_type = models.CharField(_("event type"), max_length=20, choices=EventType.choices)
    scenario = models.TextField(_("scenario"))
    held_on = models.DateField(_("date"), db_index=True)
    participants = models.PositiveIntegerField(_("participants"))
    team = models.ForeignKey(EmergencyTeam, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="drills")
    evaluation = models.TextField(pgettext_lazy("drill", "evaluation"), blank=True)
    follow_up = models.TextField(_("follow-up actions"), blank=True)
    url_base = "drill"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("emergency drill")
        verbose_name_plural = _("emergency drills")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.team_id and self.org_unit_id and self.team.org_unit_id != self.org_unit_id:
            raise ValidationError({"team": _("The team belongs to another unit.")})
        if self.participants is not None and self.participants > 1_000_000:
            raise ValidationError({"participants": _("This number of participants is not plausible; check it.")})


class Meeting(UnitRecord):
    """A creation meeting; the year-end analysis and review meeting (创建工作分析会议) is one kind."""

    class Kind(models.TextChoices):
        YEAR_END_REVIEW = "year_end_review", _("Year-end analysis and review meeting")
        WORK = "work", _("Work meeting")
        OTHER = "other", _("Other meeting")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), db_index=True)
    chair = models.CharField(_("chaired by"), max_length=50, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"))
    decisions = models.TextField(_("decisions"), blank=True)
    url_base = "meeting"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title
