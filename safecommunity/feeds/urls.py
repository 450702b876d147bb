from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("", views.UploadListView.as_view(), name="upload_list"),
    path("new/", views.UploadCreateView.as_view(), name="upload_create"),
    path("<int:pk>/", views.UploadDetailView.as_view(), name="upload_detail"),
    path("<int:pk>/columns/", views.ColumnMapView.as_view(), name="upload_columns"),
    path("<int:pk>/import/", views.UploadImportView.as_view(), name="upload_import"),
    path("<int:pk>/cancel/", views.UploadCancelView.as_view(), name="upload_cancel"),
    path("<int:pk>/undo/", views.UploadUndoView.as_view(), name="upload_undo"),
    path("<int:pk>/problems.xlsx", views.ProblemFileView.as_view(), name="upload_problems"),
    path("export/", views.CardExportView.as_view(), name="card_export"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/<int:pk>/place/", views.CasePlaceView.as_view(), name="case_place"),
    path("values/", views.ValueMappingListView.as_view(), name="valuemap_list"),
    path("values/new/", views.ValueMappingCreateView.as_view(), name="valuemap_create"),
    path("values/<int:pk>/", views.ValueMappingUpdateView.as_view(), name="valuemap_update"),
    path("values/<int:pk>/delete/", views.ValueMappingDeleteView.as_view(), name="valuemap_delete"),
    path("tokens/", views.TokenListView.as_view(), name="token_list"),
    path("tokens/new/", views.TokenCreateView.as_view(), name="token_create"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
]
