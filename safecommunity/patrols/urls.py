from django.urls import path

from . import views

app_name = "patrols"

urlpatterns = [
    path("", views.PointListView.as_view(), name="point_list"),
    path("new/", views.PointFormView.as_view(), name="point_create"),
    path("qr.pdf", views.QRSheetView.as_view(), name="qr_sheet"),
    path("due/", views.MissedView.as_view(), name="due"),
    path("records/", views.PatrolListView.as_view(), name="patrol_list"),
    path("records/<int:pk>/", views.PatrolDetailView.as_view(), name="patrol_detail"),
    path("<int:pk>/", views.PointDetailView.as_view(), name="point_detail"),
    path("<int:pk>/edit/", views.PointFormView.as_view(), name="point_edit"),
    path("<int:pk>/qr.pdf", views.QRSheetView.as_view(), name="point_qr"),
    path("<int:pk>/scan/", views.ScanView.as_view(), name="scan"),
]
