from django.urls import path

from . import views, views_results

app_name = "surveys"

urlpatterns = [
    path("questionnaires/", views.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("questionnaires/new/", views.QuestionnaireCreateView.as_view(), name="questionnaire_create"),
    path("questionnaires/shipped/", views.ShippedInstallView.as_view(), name="shipped_install"),
    path("questionnaires/<int:pk>/", views.QuestionnaireDetailView.as_view(), name="questionnaire_detail"),
    path("questionnaires/<int:pk>/edit/", views.QuestionnaireUpdateView.as_view(), name="questionnaire_edit"),
    path("questionnaires/<int:pk>/publish/", views.QuestionnaireActionView.as_view(action="publish"),
         name="questionnaire_publish"),
    path("questionnaires/<int:pk>/new-version/", views.QuestionnaireActionView.as_view(action="new_version"),
         name="questionnaire_new_version"),
    path("questionnaires/<int:pk>/sections/", views.QuestionnaireActionView.as_view(action="section"),
         name="section_create"),
    path("questionnaires/<int:pk>/questions/new/", views.QuestionFormView.as_view(), name="question_create"),
    path("questions/<int:pk>/edit/", views.QuestionFormView.as_view(editing=True), name="question_edit"),
    path("questions/<int:pk>/delete/", views.QuestionDeleteView.as_view(), name="question_delete"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", views.RoundUpdateView.as_view(), name="round_edit"),
    path("rounds/<int:pk>/progress/", views.RoundProgressView.as_view(), name="round_progress"),
    path("rounds/<int:pk>/close/", views.RoundCloseView.as_view(), name="round_close"),
    path("rounds/<int:pk>/qr.svg", views.RoundQRView.as_view(), name="round_qr"),
    path("rounds/<int:pk>/invitations/", views.InvitationsView.as_view(), name="round_invitations"),
    path("rounds/<int:pk>/interview/", views.InterviewView.as_view(), name="interview"),
    path("rounds/<int:pk>/import/", views.ImportView.as_view(), name="round_import"),
    path("rounds/<int:pk>/results/", views_results.RoundResultsView.as_view(), name="round_results"),
    path("results/", views_results.RollupView.as_view(), name="rollup"),
    path("s/<str:token>/", views.public_answer, name="public_answer"),
]
