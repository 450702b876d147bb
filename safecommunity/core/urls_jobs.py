"""我的任务 at /jobs/ (core.jobs)."""

from django.urls import path

from . import views_jobs

app_name = "jobs"

urlpatterns = [
    path("", views_jobs.JobListView.as_view(), name="job_list"),
    path("<int:pk>/", views_jobs.JobDetailView.as_view(), name="job_detail"),
    path("<int:pk>/file/", views_jobs.JobFileView.as_view(), name="job_file"),
    path("<int:pk>/retry/", views_jobs.JobRetryView.as_view(), name="job_retry"),
    path("<int:pk>/cancel/", views_jobs.JobCancelView.as_view(), name="job_cancel"),
]
