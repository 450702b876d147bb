"""Writes of the security app: API tokens, the user's second factor, the end of all credentials."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from safecommunity.core.roles import Role

RECOVERY_CODES = 10


def _may_manage(actor, user) -> bool:
    return actor.pk == user.pk or actor.is_superuser or actor.role == Role.SYSADMIN


# -- API tokens ---------------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, user) -> tuple[AuthToken, str]:
    """A new API token for `user`: the key is shown once; only its hash is stored."""
    if not user.is_active:
        raise ValidationError({"user": _("An inactive account gets no token.")})
    return AuthToken.objects.create(user=user)


@transaction.atomic
def token_revoke(*, actor, token: AuthToken) -> None:
    if not _may_manage(actor, token.user):
        raise PermissionDenied(_("Your role may not revoke this token."))
    token.delete()


@transaction.atomic
def credentials_revoke(*, user) -> int:
    """End every API token of `user`. Sessions end by themselves: the session hash of a user
    (accounts.User._get_session_auth_hash) covers the password, role, unit and active flag, so a
    session signed in before such a change is signed out on its next request."""
    deleted, _detail = AuthToken.objects.filter(user=user).delete()
    return deleted


# -- Second factor --------------------------------------------------------------------------------


@transaction.atomic
def totp_enrol_start(*, user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (a new secret), shown as a QR code until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def totp_enrol_confirm(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with a code it shows; replaces earlier devices; returns recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token((token or "").strip()):
        raise ValidationError({"token": _("The code is wrong or has expired. Enter the 6 digits the app shows now.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new one-time recovery codes (the old ones stop working)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_reset(*, actor, user) -> None:
    """Remove every device of `user` (a lost phone): a role that needs one enrols again at sign-in."""
    if not (actor.is_superuser or actor.role == Role.SYSADMIN):
        raise PermissionDenied(_("Only a system administrator may reset a second factor."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    credentials_revoke(user=user)
