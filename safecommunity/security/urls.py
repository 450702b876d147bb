from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("account/", views.AccountSecurityView.as_view(), name="account"),
    path("audit/verify/", views.AuditVerifyView.as_view(), name="audit_verify"),
    path("account/tokens/new/", views.TokenCreateView.as_view(), name="token_create"),
    path("tokens/<str:key>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("users/<int:pk>/", views.UserSecurityView.as_view(), name="user"),
    path("2fa/verify/", views.TwoFactorVerifyView.as_view(), name="2fa_verify"),
    path("2fa/enrol/", views.TwoFactorEnrolView.as_view(), name="2fa_enrol"),
    path("2fa/qr.svg", views.TwoFactorQRView.as_view(), name="2fa_qr"),
    path("account/recovery-codes/", views.RecoveryCodesView.as_view(), name="2fa_recovery"),
]
