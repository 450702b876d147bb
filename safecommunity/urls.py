from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from safecommunity.core import pwa
from safecommunity.core.views_admin import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="webmanifest"),
    path("outbox/", pwa.outbox, name="outbox"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("safecommunity.accounts.urls")),
    path("core/", include("safecommunity.core.urls")),
    path("jobs/", include("safecommunity.core.urls_jobs")),
    path("orgunits/", include("safecommunity.orgunits.urls")),
    path("creation/", include("safecommunity.creation.urls")),
    path("injuries/", include("safecommunity.injuries.urls")),
    path("feeds/", include("safecommunity.feeds.urls")),
    path("hazards/", include("safecommunity.hazards.urls")),
    path("projects/", include("safecommunity.projects.urls")),
    path("activities/", include("safecommunity.activities.urls")),
    path("reports/", include("safecommunity.reports.urls")),
    path("archive/", include("safecommunity.archive.urls")),
    path("evaluation/", include("safecommunity.evaluation.urls")),
    path("scorecard/", include("safecommunity.scorecard.urls")),
    path("security/", include("safecommunity.security.urls")),
    path("surveys/", include("safecommunity.surveys.urls")),
    path("inspections/", include("safecommunity.inspections.urls")),
    path("patrols/", include("safecommunity.patrols.urls")),
    path("league/", include("safecommunity.league.urls")),
    path("bigscreen/", include("safecommunity.bigscreen.urls")),
    path("api/", include("safecommunity.api.urls")),
    path("", include("safecommunity.dashboards.urls")),
]
# Uploaded files are never served from MEDIA_URL: each app serves them through a scoped view.
handler404 = "safecommunity.api.errors.page_not_found"
