from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeagueConfig(AppConfig):
    name = "safecommunity.league"
    label = "league"
    verbose_name = _("Quarterly league table")
