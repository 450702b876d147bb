from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """MLPS level-3 application controls: API token lifecycle, second factor, tamper-evident audit
    chain, personal-data keys, backup and restore (see docs/security.md)."""

    name = "safecommunity.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self):
        from . import checks, signals  # noqa: F401
