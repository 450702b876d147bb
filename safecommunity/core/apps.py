from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "safecommunity.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from safecommunity.core.figures_cache import connect_signals

        connect_signals()

        from .validators import install_date_validators

        install_date_validators()

        from . import checks  # noqa: F401 - registers the system checks
