"""RequestGuardMiddleware: answers 400 with a message — not a 500 — for a request no view can
use: a NUL character in the address, the query string or a JSON / form body (PostgreSQL refuses
it in any text), a query parameter a view refuses (core.params.BadParameter), and a deletion
that other records still refer to (ProtectedError)."""

import re

from django.conf import settings
from django.db import DataError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .params import BadParameter

_JSON_NUL = re.compile(rb"\\u0000")
_FORM_NUL = re.compile(rb"%00")


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get(
            "QUERY_STRING", ""):
        return True
    kind = request.META.get("CONTENT_TYPE", "")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not length or length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return False
    if kind.startswith("application/json"):
        return b"\x00" in request.body or bool(_JSON_NUL.search(request.body))
    if kind.startswith("application/x-www-form-urlencoded"):
        return bool(_FORM_NUL.search(request.body))
    return False


def protected_message(exc) -> str:
    objects = list(getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or [])
    names = "、".join(sorted({str(o._meta.verbose_name) for o in objects})) or "?"
    return _("It cannot be deleted: other records refer to it (%(kinds)s).") % {"kinds": names}


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return self.bad(request, _("The request contains a NUL character (\\0), which no field may hold."))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            return self.bad(request, exception.message, exception.param)
        if isinstance(exception, (ProtectedError, RestrictedError)):
            return self.bad(request, protected_message(exception))
        # psycopg refuses a NUL in any text (ValueError while adapting, DataError from the server),
        # e.g. one in a multipart field, whose body is not searched (files may hold NUL bytes)
        if isinstance(exception, (ValueError, DataError)) and "NUL (0x00)" in str(exception):
            return self.bad(request, _("The request contains a NUL character (\\0), which no field may hold."))
        return None

    @staticmethod
    def bad(request, message: str, param: str | None = None):
        if request.path.startswith("/api/"):
            return JsonResponse({param: [message]} if param else {"detail": message}, status=400)
        return render(request, "400.html", {"message": message}, status=400)


class SessionRenewalMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE): a signed-in session's lifetime is renewed by a request
    at most once every SESSION_RENEW_SECONDS (default 60), instead of writing the session row on
    every request (SESSION_SAVE_EVERY_REQUEST) — so it lapses after between AGE - 60 s and AGE of
    idleness."""

    KEY = "_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            import time

            now = int(time.time())
            if now - session.get(self.KEY, 0) >= getattr(settings, "SESSION_RENEW_SECONDS", 60):
                session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return self.get_response(request)
