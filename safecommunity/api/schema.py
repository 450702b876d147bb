"""OpenAPI generation: component names carry their app, so that two apps' `Meeting` or
`Transition` serializers do not collide in the schema."""

from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import serializers

UNPREFIXED = {"core", "orgunits", "accounts", "api"}


def _app_of(serializer) -> str:
    meta = getattr(serializer, "Meta", None)
    model = getattr(meta, "model", None)
    if model is not None:
        return model._meta.app_label
    parts = type(serializer).__module__.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "safecommunity" else ""


def _nullable_source(field) -> bool:
    """Whether the model attribute a read-only field shows can be None (a nullable FK or column
    anywhere along its dotted source), which drf-spectacular does not see by itself."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or not isinstance(getattr(field, "source", None), str) or field.source == "*":
        return False
    for part in field.source.split("."):
        try:
            model_field = model._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a property or method: nothing to tell
            return False
        if getattr(model_field, "null", False):
            return True
        model = getattr(model_field, "related_model", None)
        if model is None:
            return False
    return False


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        meta = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(meta, dict) or "$ref" in meta:
            return meta
        if field.read_only and not getattr(field, "allow_null", False) and _nullable_source(field):
            meta["nullable"] = True
        fmt = getattr(field, "format", None)
        if isinstance(field, serializers.DateField | serializers.DateTimeField) and isinstance(fmt, str) \
                and fmt.lower() != "iso-8601" and meta.get("format") in ("date", "date-time"):
            meta.pop("format")  # e.g. a month as "%Y-%m": a plain string, not an ISO date
            meta["description"] = (meta.get("description", "") + f" ({fmt})").strip()
        if isinstance(field, serializers.TimeField) and meta.get("format") == "time":
            # A local time of day as DRF writes it ("08:00:00"): OpenAPI's "time" is RFC 3339's
            # full-time, which needs an offset ("08:00:00+08:00") that these values do not carry.
            meta.pop("format")
            meta["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
            meta["description"] = (meta.get("description", "") + " (HH:MM:SS, local time)").strip()
        return meta

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False):
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        app = _app_of(serializer)
        if not app or app in UNPREFIXED:
            return name
        prefix = app.capitalize()
        return name if name.startswith(prefix) else f"{prefix}{name}"


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "safecommunity.security.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class VerifiedSessionScheme(SessionScheme):
    target_class = "safecommunity.security.authentication.VerifiedSessionAuthentication"


ERROR_RESPONSES = {
    "400": "Bad input: the body names each field in error ({\"field\": [\"message\"]}) or gives non_field_errors.",
    "401": "No credentials, or an expired or revoked token.",
    "403": "The role may not do this.",
    "404": "No such record in the user's scope (out of scope answers the same as missing).",
}


def document_error_responses(result, generator, request, public):
    """Every operation may answer 400/401/403/404 with a JSON error body (DRF's exception handler):
    documented once here rather than on each view."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorResponse", {
        "description": "DRF error: {\"detail\": \"…\"}, {\"field\": [\"…\"]} or [\"…\"]",
        "oneOf": [{"type": "object", "additionalProperties": {}}, {"type": "array", "items": {}}],
    })
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": ref})
            if "requestBody" in operation:
                responses.setdefault("415", {"description": "Unsupported content type.", "content": ref})
    return result
