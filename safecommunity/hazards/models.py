"""Risk diagnosis registers (风险辨识台账) and the hazard register (隐患台账) with its
rectification loop. Writes go through `services.py` only."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import NOTHING, ScopedQuerySet, within_q

from .choices import Action, Grade, RegisterKind, RiskLevel, Status


def local_today(now=None):
    """Today in the city's time zone (Asia/Shanghai), whatever zone is active."""
    return timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE)).date()


LAT = [MinValueValidator(-90), MaxValueValidator(90)]
LON = [MinValueValidator(-180), MaxValueValidator(180)]


def _department_areas(user):
    dept = getattr(user, "department", None)
    return dept, (list(dept.safety_areas.values_list("pk", flat=True)) if dept else [])


class RiskEntryQuerySet(ScopedQuerySet):
    def department_q(self, user) -> Q:
        dept, areas = _department_areas(user)
        if dept is None:
            return NOTHING
        return Q(kind=RegisterKind.SOURCE) & (Q(department=dept) | Q(safety_area_id__in=areas))


class RiskEntry(TimeStampedModel):
    """One line of a creating unit's risk diagnosis register (one of four kinds)."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("creating unit"), on_delete=models.PROTECT, related_name="risk_entries"
    )
    kind = models.CharField(_("register"), max_length=16, choices=RegisterKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(pgettext_lazy("hazard", "description"), blank=True)
    safety_area = models.ForeignKey(
        "core.CodeItem", verbose_name=_("safety area"), on_delete=models.PROTECT,
        limit_choices_to={"codelist__key": "safety_area"}, related_name="+",
    )
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, db_index=True)
    count = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    address = models.CharField(pgettext_lazy("location", "address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=LAT)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=LON)
    department = models.ForeignKey(
        "orgunits.Department", verbose_name=_("supervising department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="risk_entries",
    )
    measures = models.TextField(_("control measures"), blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"))

    objects = RiskEntryQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit__code", "kind", "name"]
        verbose_name = _("risk register entry")
        verbose_name_plural = _("risk register entries")
        indexes = [models.Index(fields=["org_unit", "kind"], name="hazards_risk_unit_kind")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hazards:risk_edit", args=[self.pk])

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self):
        errors = {}
        if self.kind in (RegisterKind.GROUP, RegisterKind.VULNERABLE) and not self.count:
            errors["count"] = _("Give the number of people in this group.")
        if self.kind == RegisterKind.PLACE and not self.has_point:
            errors["latitude"] = _("A high-risk place needs a map point (latitude and longitude).")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if self.kind == RegisterKind.SOURCE and not self.department_id:
            errors["department"] = _("A major hazard source needs its supervising department.")
        if self.last_reviewed_on and self.last_reviewed_on > local_today():
            errors["last_reviewed_on"] = _("The review date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class GradeDeadline(models.Model):
    """The default rectification period of each grade (data the city edits)."""

    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days to rectify"), validators=[MinValueValidator(1),
                                                                              MaxValueValidator(730)])

    objects = models.Manager()

    class Meta:
        ordering = ["grade"]
        verbose_name = _("default rectification period")
        verbose_name_plural = _("default rectification periods")

    def __str__(self) -> str:
        return f"{self.get_grade_display()}: {self.days}"


class HazardQuerySet(ScopedQuerySet):
    # what places a hazard in the org-unit tree for the figures cache (core.figures_cache): its
    # unit, and the unit made responsible for it (district_q reads both)
    placement_fields = ("org_unit", "responsible_unit")

    def district_q(self, user) -> Q:
        """As every record (org unit subtree), plus the hazards it has been made responsible for."""
        own = self.subtree_q(user)
        return own | within_q("responsible_unit", user) if own is not NOTHING else NOTHING

    unit_q = district_q

    def department_q(self, user) -> Q:
        dept, areas = _department_areas(user)
        if dept is None:
            return NOTHING
        return Q(department=dept) | Q(safety_area_id__in=areas)

    def open(self):
        return self.exclude(status=Status.CLOSED)

    def overdue(self, today):
        """Open hazards whose deadline (a date) has passed: local `today` > deadline."""
        return self.open().filter(deadline__lt=today)


class Hazard(TimeStampedModel):
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="hazards"
    )
    address = models.CharField(pgettext_lazy("location", "address"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=LAT)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=LON)
    safety_area = models.ForeignKey(
        "core.CodeItem", verbose_name=_("safety area"), on_delete=models.PROTECT,
        limit_choices_to={"codelist__key": "safety_area"}, related_name="+",
    )
    description = models.TextField(pgettext_lazy("hazard", "description"))
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, db_index=True)
    finder = models.CharField(_("found by"), max_length=50)
    found_on = models.DateField(_("found on"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED,
                              db_index=True)
    # Assignment
    responsible_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="hazards_responsible",
    )
    responsible_party = models.CharField(_("responsible party"), max_length=100, blank=True,
                                         help_text=_("The enterprise or body that rectifies it."))
    department = models.ForeignKey(
        "orgunits.Department", verbose_name=_("supervising department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hazards",
    )
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True, db_index=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    # Rectification (the latest submission)
    measures = models.TextField(_("measures taken"), blank=True)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    # 挂牌督办
    is_supervised = models.BooleanField(_("under supervision"), default=False, db_index=True)
    supervisor = models.CharField(_("supervisor"), max_length=50, blank=True)
    supervised_at = models.DateTimeField(_("supervised since"), null=True, blank=True)
    # The photos (archive attachments on this hazard), for prefetching; no column.
    attachments = GenericRelation("archive.Attachment", related_query_name="hazard")

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        # The work lists read the open hazards (a few percent after ten years) by deadline: this
        # index holds only those, in the lists' order, so the page does not read every closed one.
        indexes = [models.Index(fields=["deadline", "-found_on"], condition=~models.Q(status="closed"),
                                name="hazards_open_by_deadline")]

    def __str__(self) -> str:
        return f"{self.number} {self.address}"

    def get_absolute_url(self) -> str:
        return reverse("hazards:hazard_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"YH{self.found_on:%Y}{self.pk:05d}" if self.pk and self.found_on else ""

    def is_overdue_on(self, today) -> bool:
        return self.status != Status.CLOSED and self.deadline is not None and today > self.deadline

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(local_today())

    @property
    def overdue_days(self) -> int:
        return (local_today() - self.deadline).days if self.is_overdue else 0

    @property
    def closed_late(self) -> bool:
        return bool(self.closed_on and self.deadline and self.closed_on > self.deadline)

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if self.found_on and self.found_on > local_today():
            errors["found_on"] = _("The date found cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class HazardStepQuerySet(ScopedQuerySet):
    scope_field = "hazard__org_unit"
    parent_field = "hazard"


class HazardStep(models.Model):
    """One step of a hazard's record: who, when, what, the measures and cost, a note."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    note = models.TextField(_("note"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    photos = models.ManyToManyField("archive.Attachment", verbose_name=_("photos"), blank=True, related_name="+")

    objects = HazardStepQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("hazard step")
        verbose_name_plural = _("hazard steps")

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.get_action_display()}"
