"""The creation lifecycle record. The unit's current status lives on orgunits.CreatingUnit;
every change of it is a CreationTransition, written only by creation.services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safecommunity.core.scoping import ScopedQuerySet
from safecommunity.orgunits.models import CreatingUnit


class TransitionQuerySet(ScopedQuerySet):
    scope_field = "creating_unit__org_unit"


class CreationTransition(models.Model):
    creating_unit = models.ForeignKey(
        CreatingUnit, verbose_name=_("creating unit"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=CreatingUnit.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=CreatingUnit.Status.choices)
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

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("status transition")
        verbose_name_plural = _("status transitions")

    def __str__(self) -> str:
        return f"{self.creating_unit}: {self.get_from_status_display()} → {self.get_to_status_display()}"
