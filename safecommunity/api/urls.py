"""/api/v1/: every app's `api.register(router)` adds its viewsets (see core.registry)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from safecommunity.core.registry import contributions
from safecommunity.security.api_views import TokenObtainView

router = DefaultRouter()
for module in contributions("api"):
    module.register(router)

urlpatterns = [
    path("v1/auth/token/", TokenObtainView.as_view(), name="api_token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api_redoc"),
]
