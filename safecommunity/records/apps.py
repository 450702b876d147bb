from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The record framework: a unit's records with evidence files (projects, activities,
    inspections, surveys build their pages, API and writes on it). No models of its own."""

    name = "safecommunity.records"
    label = "records"
    verbose_name = _("Unit records")
