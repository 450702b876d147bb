from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("files/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
]
