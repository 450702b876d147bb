from urllib.parse import quote

from django.shortcuts import redirect
from django.urls import reverse

from .twofactor import ENROL, second_factor_pending

# Pages a signed-in user may open while the second factor is still owed. The API answers for itself
# (core.drf.VerifiedSessionAuthentication treats such a session as anonymous).
EXEMPT_PREFIXES = ("/security/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/jsi18n/", "/api/", "/healthz")


class SecondFactorMiddleware:
    """After the password: the code of the user's device, or enrolment for roles that must have one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(EXEMPT_PREFIXES):
            pending = second_factor_pending(request)
            if pending:
                name = "security:2fa_enrol" if pending == ENROL else "security:2fa_verify"
                return redirect(f"{reverse(name)}?next={quote(request.get_full_path())}")
        return self.get_response(request)
