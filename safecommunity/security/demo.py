"""Demo: the demo city office and system admin have a second factor already, with a fixed, public
key (README), so that `make run` still signs them in: add the key to an authenticator app, or
print the current code with `safecommunity demo_code city_admin`. Never use these keys for real."""

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from safecommunity.accounts.models import User

ORDER = 900
DEMO_DEVICE_NAME = "demo"
DEMO_TOTP_SECRET = "SCDEMOSCDEMOSCDEMOSCDEMOSCDEMO22"  # base32; printed in README
DEMO_ENROLLED = ("city_admin", "sysadmin")


def build(*, stdout):
    key = b32decode(DEMO_TOTP_SECRET).hex()
    for user in User.objects.filter(username__in=DEMO_ENROLLED):
        TOTPDevice.objects.update_or_create(user=user, name=DEMO_DEVICE_NAME,
                                            defaults={"key": key, "confirmed": True})
    stdout.write(f"  security: second factor of {', '.join(DEMO_ENROLLED)} uses the demo key {DEMO_TOTP_SECRET} "
                 f"(current code: safecommunity demo_code city_admin)")
