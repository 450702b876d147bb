from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
    path("<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project_delete"),
    path("<int:pk>/status/", views.ProjectTransitionView.as_view(), name="project_transition"),
    path("<int:pk>/files/", views.ProjectEvidenceView.as_view(), name="project_evidence"),
    path("<int:project_pk>/indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("<int:project_pk>/evaluations/new/", views.EvaluationCreateView.as_view(), name="evaluation_create"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.EvaluationUpdateView.as_view(), name="evaluation_edit"),
    path("evaluations/<int:pk>/files/", views.EvaluationEvidenceView.as_view(), name="evaluation_evidence"),
]
