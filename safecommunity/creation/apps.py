from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreationConfig(AppConfig):
    name = "safecommunity.creation"
    label = "creation"
    verbose_name = _("Creation lifecycle")
