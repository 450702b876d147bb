from django.urls import path

from . import views, views_letters, views_meetings

app_name = "creation"

urlpatterns = [
    path("plans/", views.PlanYearListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanYearOpenView.as_view(), name="plan_create"),
    path("plans/<int:year>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:year>/edit/", views.PlanTargetsEditView.as_view(), name="plan_edit"),
    path("plans/<int:year>/districts/<str:code>/edit/", views.DistrictPlanEditView.as_view(),
         name="district_plan_edit"),
    path("districts/<str:code>/three-year/", views.ThreeYearView.as_view(), name="three_year"),
    path("launch/", views.LaunchView.as_view(), name="launch"),
    path("units/new/", views.EnterpriseUnitCreateView.as_view(), name="unit_register"),
    path("units/<str:code>/transition/", views.UnitTransitionView.as_view(), name="unit_transition"),
    path("titles/", views.TitleListView.as_view(), name="title_list"),
    path("transitions/", views.TransitionListView.as_view(), name="transition_list"),
    path("letters/", views_letters.LetterListView.as_view(), name="letter_list"),
    path("letters/new/", views_letters.LetterFormView.as_view(), name="letter_create"),
    path("letters/<int:pk>/", views_letters.LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<int:pk>/edit/", views_letters.LetterEditView.as_view(), name="letter_edit"),
    path("assessments/", views_letters.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", views_letters.AssessmentFormView.as_view(), name="assessment_create"),
    path("assessments/<int:pk>/edit/", views_letters.AssessmentEditView.as_view(), name="assessment_edit"),
    path("meetings/", views_meetings.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views_meetings.MeetingFormView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views_meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views_meetings.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/follow-ups/new/", views_meetings.FollowUpCreateView.as_view(), name="followup_create"),
    path("members/", views_meetings.MemberListView.as_view(), name="member_list"),
    path("members/new/", views_meetings.MemberFormView.as_view(), name="member_create"),
    path("members/from-departments/", views_meetings.MembersFromDepartmentsView.as_view(), name="member_sync"),
    path("members/<int:pk>/edit/", views_meetings.MemberEditView.as_view(), name="member_edit"),
    path("follow-ups/", views_meetings.FollowUpListView.as_view(), name="followup_list"),
    path("follow-ups/<int:pk>/done/", views_meetings.FollowUpDoneView.as_view(), name="followup_done"),
    path("follow-ups/<int:pk>/reopen/", views_meetings.FollowUpReopenView.as_view(), name="followup_reopen"),
]
