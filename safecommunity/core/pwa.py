"""The installable web app: manifest, service worker (served at the site root so that its
scope is the whole site), the outbox page, and the JSON answers a queued form gets.

A form marked `data-outbox` (hazard report, patrol) is sent by static/safecommunity/outbox.js;
without network it waits in the phone's IndexedDB and is sent when the network is back. Each
submission carries an idempotency key (core.services.submission_seen/submission_record), so a
resent one is stored once."""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

# Pages a phone keeps for use without network (network first, the last copy otherwise).
OFFLINE_PAGES = ["/hazards/new/", "/patrols/", "/outbox/", "/orgunits/map/districts.geojson"]
ASSETS = [
    "vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2", "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/echarts/echarts.min.js", "safecommunity/app.css", "safecommunity/app.js",
    "safecommunity/outbox.js", "django_htmx/htmx-2.min.js",
    "safecommunity/icons/icon-192.png", "safecommunity/icons/icon-512.png",
]


def is_outbox(request) -> bool:
    """The form was sent by the outbox script (it wants JSON, not a page)."""
    return request.headers.get("X-Outbox") == "1"


def outbox_done(url: str, label: str) -> JsonResponse:
    return JsonResponse({"url": url, "label": label}, status=201)


def outbox_errors(form) -> JsonResponse:
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    return JsonResponse({"errors": errors}, status=400)


@cache
def _version() -> str:
    """Changes when the worker's template or a precached asset changes (a new cache)."""
    digest = hashlib.sha256()
    for name in ASSETS:
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                digest.update(hashlib.sha256(fh.read()).digest())
    digest.update(" ".join(OFFLINE_PAGES).encode())
    return digest.hexdigest()[:12]


def service_worker(request):
    body = render(request, "pwa/sw.js", {
        "version": _version(),
        "static_url": settings.STATIC_URL,
        "assets": [static(a) for a in ASSETS],
        "pages": OFFLINE_PAGES,
    }).content
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    return JsonResponse({
        "name": _("Safe Community Creation Management Platform"),
        "short_name": _("SafeCommunity"),
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#eef2f7",
        "theme_color": "#1f4e8c",
        "icons": [
            {"src": static("safecommunity/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("safecommunity/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
        "shortcuts": [
            {"name": _("Report a hazard"), "url": reverse("hazards:hazard_create")},
            {"name": _("Waiting to be sent"), "url": reverse("outbox")},
        ],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@never_cache
@login_required
def outbox(request):
    """What this phone still has to send (the list itself is read from IndexedDB by outbox.js)."""
    return render(request, "pwa/outbox.html", {"title": _("Waiting to be sent")})
