from django.urls import path

from . import views

app_name = "scorecard"

urlpatterns = [
    path("", views.home, name="home"),
    path("city/", views.CityScorecardView.as_view(), name="city"),
    path("districts/<str:code>/", views.DistrictScorecardView.as_view(), name="district"),
    path("units/<str:code>/", views.UnitScorecardView.as_view(), name="unit"),
    path("rules/", views.RuleSettingListView.as_view(), name="rules"),
    path("rules/<int:year>/<slug:key>/", views.RuleSettingEditView.as_view(), name="rule_edit"),
]
