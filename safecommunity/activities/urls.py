from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [p for rt in views.RECORD_TYPES for p in rt.views()] + [
    path("teams/<int:pk>/members/", views.TeamMemberAddView.as_view(), name="member_add"),
    path("members/<int:pk>/remove/", views.TeamMemberRemoveView.as_view(), name="member_remove"),
]
