from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def personal_data_keys(app_configs, **kwargs):
    from safecommunity.core.personal import BadKey, parse_key

    errors = []
    for item in settings.PERSONAL_DATA_KEYS:
        try:
            parse_key(item)
        except BadKey as exc:
            errors.append(checks.Error(str(exc), id="security.E001"))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def personal_data_keys_set(app_configs, **kwargs):
    if not settings.PERSONAL_DATA_KEYS:
        return [checks.Warning("PERSONAL_DATA_KEYS is not set: personal data is encrypted with a key derived from "
                               "SECRET_KEY.", hint="safecommunity personal_keys new", id="security.W001")]
    return []
