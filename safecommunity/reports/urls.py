from django.urls import path

from . import views, views_board, views_setup

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("new/", views.ReportCreateView.as_view(), name="report_create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("<int:pk>/<slug:action>/", views.ReportActionView.as_view(), name="report_action"),
    path("board/", views_board.StatusBoardView.as_view(), name="board"),
    path("board/approve/", views_board.BulkApproveView.as_view(), name="bulk_approve"),
    path("completeness/", views_board.CompletenessView.as_view(), name="completeness"),
    path("city/", views_board.CitySummaryView.as_view(), name="city_summary"),
    path("officers/", views_setup.OfficerListView.as_view(), name="officer_list"),
    path("officers/new/", views_setup.OfficerCreateView.as_view(), name="officer_create"),
    path("officers/<int:pk>/", views_setup.OfficerEditView.as_view(), name="officer_edit"),
    path("officers/<int:pk>/delete/", views_setup.OfficerDeleteView.as_view(), name="officer_delete"),
    path("deadlines/", views_setup.DeadlineListView.as_view(), name="deadline_list"),
    path("deadlines/new/", views_setup.DeadlineCreateView.as_view(), name="deadline_create"),
]
