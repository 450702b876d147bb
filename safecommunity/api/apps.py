from django.apps import AppConfig, apps
from django.conf import settings


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def enum_name_overrides() -> dict:
    """One OpenAPI enum name per distinct choice set of our models ("HazardStatusEnum"), so
    that the many `status` fields of different workflows do not collide in the schema."""
    names, seen = {}, set()
    for config in apps.get_app_configs():
        if not config.name.startswith("safecommunity."):
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                choices = getattr(field, "choices", None)
                if not choices or getattr(field, "related_model", None) is not None:
                    continue
                values = tuple(str(value) for value, _label in choices)
                if values in seen:
                    continue
                seen.add(values)
                names[f"{model.__name__}{_camel(field.name)}Enum"] = [(v, lbl) for v, lbl in choices]
    return names


class ApiConfig(AppConfig):
    name = "safecommunity.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
        for name, choices in enum_name_overrides().items():
            overrides.setdefault(name, choices)
