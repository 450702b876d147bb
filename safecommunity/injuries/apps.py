from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InjuriesConfig(AppConfig):
    name = "safecommunity.injuries"
    label = "injuries"
    verbose_name = _("Injury surveillance")

    def ready(self):
        """Audit trail (auditlog registers every model before this app is ready):
        - the personal fields hold ciphertext only; mask them in the log as well;
        - the summary table is derived data rewritten on every write: not audited."""
        from auditlog.registry import auditlog

        from .models import InjuryRecord, InjuryStat

        if auditlog.contains(InjuryStat):
            auditlog.unregister(InjuryStat)
        if auditlog.contains(InjuryRecord):
            auditlog.unregister(InjuryRecord)
        auditlog.register(InjuryRecord, mask_fields=["name_cipher", "id_number_cipher", "phone_cipher"],
                          exclude_fields=["updated_at"])
