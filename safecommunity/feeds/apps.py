from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "safecommunity.feeds"
    label = "feeds"
    verbose_name = _("Hospital injury feeds")

    def ready(self):
        from django.db.models.signals import pre_delete

        from safecommunity.injuries.models import InjuryRecord

        from .writing import promote_duplicates

        def keep_duplicates(sender, instance, **kwargs):
            promote_duplicates(instance)

        pre_delete.connect(keep_duplicates, sender=InjuryRecord, dispatch_uid="feeds_promote_duplicates", weak=False)
