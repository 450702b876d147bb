from django.urls import path

from . import views_admin, views_notifications

app_name = "core"

urlpatterns = [
    path("codelists/", views_admin.CodeListListView.as_view(), name="codelist_list"),
    path("codelists/<slug:key>/", views_admin.CodeListDetailView.as_view(), name="codelist_detail"),
    path("codelists/<slug:key>/new/", views_admin.CodeItemCreateView.as_view(), name="codeitem_create"),
    path("codelists/<slug:key>/<int:pk>/", views_admin.CodeItemUpdateView.as_view(), name="codeitem_edit"),
    path("notifications/settings/", views_notifications.NotificationSettingsView.as_view(),
         name="notification_settings"),
]
