from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="application_list"),
    path("apply/", views.ApplicationStartView.as_view(), name="application_start"),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("<int:pk>/self-assessment/", views.SelfAssessView.as_view(), name="self_assess"),
    path("<int:pk>/work-report/", views.ReportFormView.as_view(), name="work_report"),
    path("<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("<int:pk>/panel/", views.PanelView.as_view(), name="panel"),
    path("<int:pk>/my-scores/", views.ExpertScoreView.as_view(), name="expert_scores"),
    path("<int:pk>/consolidate/", views.ConsolidateView.as_view(), name="consolidate"),
    path("<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("<int:pk>/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("<int:pk>/report/", views.ReportPrintView.as_view(), name="report_print"),
    path("<int:pk>/report.docx", views.ReportDocxView.as_view(), name="report_docx"),
    path("<int:pk>/do/<slug:action>/", views.ActionView.as_view(), name="action"),
    path("rectifications/<int:pk>/done/", views.RectificationDoneView.as_view(), name="rectification_done"),
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/new/", views.SchemeFormView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.SchemeFormView.as_view(), name="scheme_edit"),
    path("schemes/<int:scheme>/items/new/", views.SchemeItemFormView.as_view(), name="item_create"),
    path("schemes/<int:scheme>/items/<int:pk>/", views.SchemeItemFormView.as_view(), name="item_edit"),
    path("rules/", views.PolicyView.as_view(), name="policy"),
    path("rules/rewards/<int:pk>/", views.RewardRateView.as_view(), name="reward_rate"),
    path("experts/", views.ExpertListView.as_view(), name="expert_list"),
    path("experts/new/", views.ExpertFormView.as_view(), name="expert_create"),
    path("experts/<int:pk>/", views.ExpertFormView.as_view(), name="expert_edit"),
    path("designations/", views.DesignationListView.as_view(), name="designation_list"),
    path("designations/record/", views.DesignationRecordView.as_view(), name="designation_record"),
    path("designations/<int:pk>/", views.DesignationDetailView.as_view(), name="designation_detail"),
    path("designations/<int:pk>/certificate.pdf", views.CertificatePdfView.as_view(), name="certificate"),
    path("funds/", views.FundListView.as_view(), name="fund_list"),
    path("funds/new/", views.FundCreateView.as_view(), name="fund_create"),
    path("funds/<int:pk>/", views.FundDetailView.as_view(), name="fund_detail"),
    path("rewards/", views.RewardListView.as_view(), name="reward_list"),
    path("rewards/<int:pk>/paid/", views.RewardPaidView.as_view(), name="reward_paid"),
]
