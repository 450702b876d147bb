"""The per-year minimums of the scorecard rules. The rules themselves come from every app's
`obligations.py`; a year without a row for a rule uses the rule's `default_minimum`."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from safecommunity.core.scoping import ALL_ROLES, ScopedQuerySet


class RuleSettingQuerySet(ScopedQuerySet):
    """Reference data: every signed-in user may read the minimums."""

    scope_field = None
    read_all_roles = ALL_ROLES


class RuleSetting(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("rule"), max_length=64)
    minimum = models.PositiveIntegerField(_("minimum"), validators=[MaxValueValidator(100000)])
    is_active = models.BooleanField(_("counted"), default=True, help_text=_("Rules not counted are left off the scorecard."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RuleSettingQuerySet.as_manager()

    class Meta:
        ordering = ["year", "key"]
        verbose_name = _("scorecard rule minimum")
        verbose_name_plural = _("scorecard rule minimums")
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="scorecard_rule_unique_year_key")]

    def __str__(self) -> str:
        return f"{self.year} {self.key} ≥ {self.minimum}"
