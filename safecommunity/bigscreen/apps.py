from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BigscreenConfig(AppConfig):
    name = "safecommunity.bigscreen"
    label = "bigscreen"
    verbose_name = _("Big screen")
