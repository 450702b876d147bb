from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("files/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("", views.AttachmentListView.as_view(), name="attachment_list"),
    path("file/", views.FileDocumentView.as_view(), name="file_document"),
    path("files/<int:pk>/edit/", views.AttachmentEditView.as_view(), name="attachment_edit"),
    path("files/<int:pk>/verify/", views.AttachmentVerifyView.as_view(), name="attachment_verify"),
    path("completeness/", views.CompletenessView.as_view(), name="completeness"),
    path("completeness/<str:code>/", views.CompletenessView.as_view(), name="completeness"),
    path("binder/<str:code>/", views.BinderView.as_view(), name="binder"),
]
