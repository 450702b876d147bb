"""POST /api/v1/auth/token/: username + password (+ the second-factor code where the account has
one) → a new expiring API token. The answer keeps the shape it always had ({"token": …}) and adds
the expiry."""

import django_otp
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from . import services
from .twofactor import has_device, required_for


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(label=_("Verification code"), required=False, allow_blank=True, write_only=True,
                                help_text=_("The authenticator app's code or a recovery code, where the account has one."))

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if has_device(user):
            if django_otp.match_token(user, (attrs.get("otp") or "").replace(" ", "")) is None:
                raise serializers.ValidationError({"otp": [_("The code is wrong or has expired.")]})
        elif required_for(user):
            raise serializers.ValidationError(
                {"otp": [_("Set up two-step verification on the web page first (this role must use it).")]})
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class TokenObtainView(ObtainAuthToken):
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses={
        200: TokenResponseSerializer, 400: OpenApiResponse(description=_("Wrong credentials or code."))})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.token_issue(user=serializer.validated_data["user"])
        return Response({"token": key, "expiry": token.expiry})
