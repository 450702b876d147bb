from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/units/", views.InspectionAddView.as_view(), name="inspection_add"),
    path("", views.InspectionListView.as_view(), name="inspection_list"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/record/", views.InspectionRecordView.as_view(), name="inspection_record"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="followup_list"),
    path("follow-ups/<int:pk>/", views.FollowUpDetailView.as_view(), name="followup_detail"),
    path("follow-ups/<int:pk>/close/", views.FollowUpCloseView.as_view(), name="followup_close"),
    path("ranking/", views.RankingView.as_view(), name="ranking"),
    path("year-end/", views.ReviewListView.as_view(), name="review_list"),
    path("year-end/new/", views.ReviewCreateView.as_view(), name="review_create"),
    path("year-end/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("year-end/<int:pk>/edit/", views.ReviewUpdateView.as_view(), name="review_edit"),
    path("year-end/<int:pk>/files/", views.ReviewEvidenceView.as_view(), name="review_evidence"),
]
