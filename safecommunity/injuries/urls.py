from django.urls import path

from . import views, views_analysis

app_name = "injuries"

urlpatterns = [
    path("", views.RecordListView.as_view(), name="record_list"),
    path("records/new/", views.RecordFormView.as_view(), name="record_create"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="record_detail"),
    path("records/<int:pk>/edit/", views.RecordFormView.as_view(), name="record_update"),
    path("records/<int:pk>/delete/", views.RecordDeleteView.as_view(), name="record_delete"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/new/", views.SourceFormView.as_view(), name="source_create"),
    path("sources/<int:pk>/", views.SourceFormView.as_view(), name="source_update"),
    path("nil/", views.NilReportListView.as_view(), name="nil_list"),
    path("nil/new/", views.NilReportCreateView.as_view(), name="nil_create"),
    path("nil/<int:pk>/delete/", views.NilReportDeleteView.as_view(), name="nil_delete"),
    path("population/", views.PopulationListView.as_view(), name="population_list"),
    path("population/new/", views.PopulationFormView.as_view(), name="population_create"),
    path("population/<int:pk>/", views.PopulationFormView.as_view(), name="population_update"),
    path("population/import/", views.PopulationImportView.as_view(), name="population_import"),
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import_create"),
    path("imports/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/errors.xlsx", views.ImportErrorsView.as_view(), name="import_errors"),
    path("imports/<int:pk>/keep-duplicates/", views.ImportKeepDuplicatesView.as_view(), name="import_keep_duplicates"),
    path("imports/<int:pk>/retry/", views.ImportStopView.as_view(action="retry"), name="import_retry"),
    path("imports/<int:pk>/cancel/", views.ImportStopView.as_view(action="cancel"), name="import_cancel"),
    path("analysis/", views_analysis.AnalysisView.as_view(), name="analysis"),
    path("effect/", views_analysis.EffectView.as_view(), name="effect"),
]
