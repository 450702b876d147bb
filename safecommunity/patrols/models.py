"""Patrol points (巡查点) a creating unit registers, with their checklist and rhythm, and the
patrols recorded by scanning a point's QR code. Writes go through `services.py` only."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safecommunity.core.models import TimeStampedModel
from safecommunity.core.scoping import ScopedQuerySet

LAT = [MinValueValidator(-90), MaxValueValidator(90)]
LON = [MinValueValidator(-180), MaxValueValidator(180)]


def default_max_distance() -> int:
    return getattr(settings, "PATROL_MAX_DISTANCE_M", 200)


class PatrolPointQuerySet(ScopedQuerySet):
    pass


class PatrolPoint(TimeStampedModel):
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("creating unit"), on_delete=models.PROTECT,
                                 related_name="patrol_points")
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(pgettext_lazy("patrol point", "place"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, validators=LAT)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, validators=LON)
    checklist = models.TextField(_("what to check"), help_text=_("One item a line."))
    every_days = models.PositiveSmallIntegerField(_("patrol every (days)"), default=7,
                                                  validators=[MinValueValidator(1), MaxValueValidator(366)])
    window_start = models.TimeField(_("window opens"), default=datetime.time(8, 0))
    window_end = models.TimeField(_("window closes"), default=datetime.time(18, 0))
    max_distance_m = models.PositiveIntegerField(_("allowed distance (m)"), default=default_max_distance,
                                                 validators=[MinValueValidator(10), MaxValueValidator(5000)])
    is_active = models.BooleanField(_("in use"), default=True)

    objects = PatrolPointQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit__code", "name"]
        verbose_name = _("patrol point")
        verbose_name_plural = _("patrol points")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("patrols:point_detail", args=[self.pk])

    def scan_url(self) -> str:
        """The address its QR code carries: the point's checklist page."""
        return reverse("patrols:scan", args=[self.pk])

    @property
    def items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    def clean(self):
        errors = {}
        if not self.items:
            errors["checklist"] = _("Give at least one item to check.")
        if self.window_start and self.window_end and self.window_start >= self.window_end:
            errors["window_end"] = _("The window must close after it opens.")
        if errors:
            raise ValidationError(errors)


class PatrolQuerySet(ScopedQuerySet):
    pass


class Patrol(models.Model):
    """One patrol of a point: when and where the phone was, the checklist answers, and the
    marks a supervisor looks at (too far from the point, outside its window)."""

    point = models.ForeignKey(PatrolPoint, verbose_name=_("patrol point"), on_delete=models.PROTECT,
                              related_name="patrols")
    org_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("creating unit"), on_delete=models.PROTECT,
                                 related_name="+")
    patroller = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("patrolled by"),
                                  on_delete=models.PROTECT, related_name="+")
    patrolled_at = models.DateTimeField(_("patrolled at"), db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=LAT)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=LON)
    distance_m = models.PositiveIntegerField(_("distance from the point (m)"), null=True, blank=True)
    too_far = models.BooleanField(_("too far from the point"), default=False)
    outside_window = models.BooleanField(_("outside the window"), default=False)
    no_location = models.BooleanField(_("no location"), default=False)
    answers = models.JSONField(pgettext_lazy("patrol", "answers"), default=list)
    note = models.TextField(_("note"), blank=True)
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard reported"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    objects = PatrolQuerySet.as_manager()

    class Meta:
        ordering = ["-patrolled_at"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        indexes = [models.Index(fields=["point", "patrolled_at"], name="patrols_point_time")]

    def __str__(self) -> str:
        return f"{self.point} {self.patrolled_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:patrol_detail", args=[self.pk])

    @property
    def problems(self) -> int:
        return sum(1 for a in self.answers if not a.get("ok"))
