"""The API's authentication classes (REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]). A module of
their own: DRF imports them while it loads its views, so they must not import views themselves."""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import SessionAuthentication


class ExpiringTokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <key>`: a django-rest-knox token (stored hashed), refused once past its
    expiry (API_TOKEN_DAYS) or revoked; every token of a user ends when the user's password, role,
    unit or active flag changes (security.signals)."""


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, but not before the second factor where the user needs one."""

    def authenticate(self, request):
        from safecommunity.security.twofactor import second_factor_pending

        result = super().authenticate(request)
        if result is not None and second_factor_pending(request._request):
            return None
        return result
