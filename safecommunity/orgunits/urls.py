from django.urls import path

from . import views

app_name = "orgunits"

urlpatterns = [
    path("", views.OrgUnitListView.as_view(), name="orgunit_list"),
    path("new/", views.OrgUnitCreateView.as_view(), name="orgunit_create"),
    path("units/", views.CreatingUnitListView.as_view(), name="creatingunit_list"),
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/<str:code>/", views.DepartmentDetailView.as_view(), name="department_detail"),
    path("map/districts.geojson", views.districts_geojson, name="districts_geojson"),
    path("<str:code>/", views.OrgUnitDetailView.as_view(), name="orgunit_detail"),
    path("<str:code>/edit/", views.OrgUnitEditView.as_view(), name="orgunit_edit"),
    path("<str:code>/unit/edit/", views.CreatingUnitEditView.as_view(), name="creatingunit_edit"),
]
