from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("work/", views.WorkListView.as_view(), name="worklist"),
    path("new/", views.HazardReportView.as_view(), name="hazard_create"),
    path("stats/", views.HazardStatsView.as_view(), name="stats"),
    path("map/", views.RiskMapView.as_view(), name="risk_map"),
    path("settings/deadlines/", views.GradeDeadlineView.as_view(), name="deadline_settings"),
    path("registers/", views.RiskEntryListView.as_view(), name="risk_list"),
    path("registers/import/", views.RiskEntryImportView.as_view(), name="risk_import"),
    path("registers/new/", views.RiskEntryFormView.as_view(), name="risk_create"),
    path("registers/<int:pk>/edit/", views.RiskEntryFormView.as_view(), name="risk_edit"),
    path("registers/<int:pk>/delete/", views.RiskEntryDeleteView.as_view(), name="risk_delete"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views.HazardPhotoView.as_view(), name="hazard_photo"),
    path("<int:pk>/<str:action>/", views.HazardActionView.as_view(), name="hazard_action"),
]
