"""OpenAPI generation: component names carry their app, so that two apps' `Meeting` or
`Transition` serializers do not collide in the schema."""

from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object

UNPREFIXED = {"core", "orgunits", "accounts", "api"}


def _app_of(serializer) -> str:
    meta = getattr(serializer, "Meta", None)
    model = getattr(meta, "model", None)
    if model is not None:
        return model._meta.app_label
    parts = type(serializer).__module__.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "safecommunity" else ""


class AutoSchema(openapi.AutoSchema):
    def _get_serializer_name(self, serializer, direction, bypass_extensions=False):
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        app = _app_of(serializer)
        if not app or app in UNPREFIXED:
            return name
        prefix = app.capitalize()
        return name if name.startswith(prefix) else f"{prefix}{name}"


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "safecommunity.core.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class VerifiedSessionScheme(SessionScheme):
    target_class = "safecommunity.core.authentication.VerifiedSessionAuthentication"
