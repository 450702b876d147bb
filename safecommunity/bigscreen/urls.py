from django.urls import path

from . import views

app_name = "bigscreen"

urlpatterns = [
    path("", views.ScreenView.as_view(), name="city"),
    path("data.json", views.ScreenDataView.as_view(), name="city_data"),
    path("<str:code>/", views.ScreenView.as_view(), name="district"),
    path("<str:code>/data.json", views.ScreenDataView.as_view(), name="district_data"),
]
