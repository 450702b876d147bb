"""The weights of the quarterly league table (晾晒比拼), set by the city office."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from safecommunity.core.models import TimeStampedModel

INDICATORS = ("quota", "timeliness", "closure", "obligations", "survey")


class Weights(TimeStampedModel):
    """One row (the city's current weights); each indicator's weight in points. An indicator a
    unit has no figure for (no quota for a township, no survey yet) is left out and the others
    share its weight."""

    quota = models.PositiveSmallIntegerField(_("creation quota progress"), default=30,
                                             validators=[MaxValueValidator(100)])
    timeliness = models.PositiveSmallIntegerField(_("monthly reports on time"), default=20,
                                                  validators=[MaxValueValidator(100)])
    closure = models.PositiveSmallIntegerField(_("hazards closed in time"), default=20,
                                               validators=[MaxValueValidator(100)])
    obligations = models.PositiveSmallIntegerField(_("obligations met"), default=20,
                                                   validators=[MaxValueValidator(100)])
    survey = models.PositiveSmallIntegerField(_("survey results"), default=10, validators=[MaxValueValidator(100)])

    objects = models.Manager()

    class Meta:
        verbose_name = _("league table weights")
        verbose_name_plural = _("league table weights")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in INDICATORS}
