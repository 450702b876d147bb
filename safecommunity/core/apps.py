from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as _StaticFilesConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True  # apps.py holds StaticFilesConfig too: without this Django would pick neither
    name = "safecommunity.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from safecommunity.core import figures_cache

        figures_cache.connect_signals()

        from .validators import install_date_validators

        install_date_validators()

        from . import checks  # noqa: F401 - registers the system checks


class StaticFilesConfig(_StaticFilesConfig):
    """django.contrib.staticfiles without the builds of echarts' npm package that no page loads
    (51 MB of full, ESM, common and simple builds with their source maps): collected, hashed and
    compressed, they made `collectstatic` take minutes. Pages load vendor/echarts/echarts.min.js."""

    ignore_patterns = [*_StaticFilesConfig.ignore_patterns, "echarts.js", "echarts.js.map", "echarts.common*",
                       "echarts.esm*", "echarts.simple*", "extension"]
