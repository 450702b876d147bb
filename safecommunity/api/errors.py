"""Error pages for the API: an address under /api/ that matches no route answers JSON, as every
other API error does (the OpenAPI schema documents application/json for 404)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
