from django.urls import path

from . import views

app_name = "league"

urlpatterns = [
    path("", views.LeagueView.as_view(), name="table"),
    path("weights/", views.WeightsView.as_view(), name="weights"),
]
