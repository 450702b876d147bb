"""Account security pages: API tokens (own, and any user's for the system admin), the second
factor (enrol with a QR code drawn here, verify at sign-in, recovery codes)."""

import io

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from safecommunity.accounts.models import User
from safecommunity.core.roles import Role
from safecommunity.core.views import RoleRequiredMixin, get_visible_or_404

from . import permissions, services
from .forms import CodeForm
from .twofactor import NO_DEVICE_SESSION_KEY, has_device, required_for

HOME = (_("Home"), "/")


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or "/"
    return url if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()) else "/"


def _security_context(request, user) -> dict:
    return {
        "subject": user,
        "tokens": AuthToken.objects.filter(user=user).order_by("-created"),
        "has_device": has_device(user),
        "required": required_for(user),
        "recovery_left": sum(d.token_set.count() for d in StaticDevice.objects.filter(user=user)),
    }


class AccountSecurityView(LoginRequiredMixin, View):
    """The signed-in user's own page: API tokens (new / revoke) and the second factor."""

    def get(self, request):
        ctx = _security_context(request, request.user)
        ctx.update(title=_("Account security"), breadcrumbs=[HOME], own=True)
        return render(request, "security/account.html", ctx)


class UserSecurityView(RoleRequiredMixin, View):
    """The system admin's page for one user: tokens (revoke one or all), second factor (reset)."""

    allowed_roles = permissions.user_security.roles

    def get(self, request, pk):
        user = get_visible_or_404(request.user, User, pk=pk)
        ctx = _security_context(request, user)
        ctx.update(title=_("Security of %(name)s") % {"name": user.username}, own=False,
                   breadcrumbs=[HOME, (_("Users"), reverse("accounts:user_list")),
                                (user.username, reverse("accounts:user_edit", args=[user.pk]))])
        return render(request, "security/account.html", ctx)

    def post(self, request, pk):
        user = get_visible_or_404(request.user, User, pk=pk)
        action = request.POST.get("action")
        if action == "revoke_all":
            n = services.credentials_revoke(user=user)
            messages.success(request, _("%(n)d tokens revoked.") % {"n": n})
        elif action == "reset_2fa":
            services.second_factor_reset(actor=request.user, user=user)
            messages.success(request, _("The second factor of %(name)s was reset.") % {"name": user.username})
        return redirect("security:user", pk=user.pk)


class TokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            token, key = services.token_issue(user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("security:account")
        ctx = _security_context(request, request.user)
        ctx.update(title=_("Account security"), breadcrumbs=[HOME], own=True, new_key=key, new_token=token)
        return render(request, "security/account.html", ctx)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, key):
        qs = AuthToken.objects.filter(token_key=key)
        if not (request.user.is_superuser or request.user.role == Role.SYSADMIN):
            qs = qs.filter(user=request.user)
        else:
            qs = qs.filter(user__in=User.objects.visible_to(request.user))
        token = qs.select_related("user").first()
        if token is None:
            return render(request, "404.html", status=404)
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token was revoked."))
        if token.user_id != request.user.pk:
            return redirect("security:user", pk=token.user_id)
        return redirect("security:account")


class TwoFactorVerifyView(LoginRequiredMixin, View):
    """After the password: the code of the authenticator app or a recovery code."""

    template = "security/verify.html"

    def get(self, request):
        if not has_device(request.user):
            return redirect(reverse("security:2fa_enrol") + f"?next={_next_url(request)}")
        return render(request, self.template, {"form": CodeForm(), "next": _next_url(request),
                                               "title": _("Two-step verification")})

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = django_otp.match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
            if device is not None:
                django_otp.login(request, device)
                if isinstance(device, StaticDevice):
                    messages.warning(request, _("You signed in with a recovery code; it cannot be used again."))
                return redirect(_next_url(request))
            form.add_error("token", _("The code is wrong or has expired."))
        return render(request, self.template, {"form": form, "next": _next_url(request),
                                               "title": _("Two-step verification")})


class TwoFactorEnrolView(LoginRequiredMixin, View):
    """Scan the QR code (drawn by this server), enter the code shown: then the recovery codes."""

    template = "security/enrol.html"

    def _ctx(self, request, device, form):
        return {"form": form, "device": device, "secret": _b32(device), "next": _next_url(request),
                "required": required_for(request.user), "title": _("Set up two-step verification")}

    def get(self, request):
        if has_device(request.user) and not request.user.is_verified():
            return redirect(reverse("security:2fa_verify") + f"?next={_next_url(request)}")
        device = services.totp_enrol_start(user=request.user)
        return render(request, self.template, self._ctx(request, device, CodeForm()))

    def post(self, request):
        if has_device(request.user) and not request.user.is_verified():
            raise PermissionDenied
        device = services.totp_enrol_start(user=request.user)
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                codes = services.totp_enrol_confirm(user=request.user, device=device,
                                                    token=form.cleaned_data["token"])
            except ValidationError as exc:
                form.add_error("token", exc.message_dict["token"])
            else:
                django_otp.login(request, device)
                request.session.pop(NO_DEVICE_SESSION_KEY, None)
                return render(request, "security/recovery_codes.html", {
                    "codes": codes, "next": _next_url(request), "title": _("Recovery codes")})
        return render(request, self.template, self._ctx(request, device, form))


class RecoveryCodesView(LoginRequiredMixin, View):
    def post(self, request):
        if not has_device(request.user):
            return redirect("security:2fa_enrol")
        if not request.user.is_verified():
            return redirect(reverse("security:2fa_verify") + "?next=" + reverse("security:account"))
        codes = services.recovery_codes_renew(user=request.user)
        return render(request, "security/recovery_codes.html", {
            "codes": codes, "next": reverse("security:account"), "title": _("Recovery codes")})


class TwoFactorQRView(LoginRequiredMixin, View):
    """The enrolment QR code of the user's own unconfirmed device, as SVG (nothing external)."""

    def get(self, request):
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-pk").first()
        if device is None:
            return render(request, "404.html", status=404)
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        buffer = io.BytesIO()
        image.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
        response["Cache-Control"] = "no-store"
        return response


def _b32(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


class AuditVerifyView(RoleRequiredMixin, View):
    """Recompute the audit chain and name the first broken row (system admin, city office)."""

    allowed_roles = permissions.audit_verify.roles

    def get(self, request):
        from auditlog.models import LogEntry

        from .audit import chain_verify
        from .models import AuditChainHead, AuditCheckpoint

        verdict = chain_verify()
        broken = LogEntry.objects.filter(pk=verdict.entry_id).select_related("actor", "content_type").first() \
            if verdict.entry_id else None
        return render(request, "security/audit_verify.html", {
            "verdict": verdict, "broken": broken, "head": AuditChainHead.objects.filter(pk=1).first(),
            "checkpoint": AuditCheckpoint.objects.order_by("-seq").first(),
            "title": _("Audit chain check"), "breadcrumbs": [HOME, (_("Audit trail"), reverse("accounts:audit_log"))]})
