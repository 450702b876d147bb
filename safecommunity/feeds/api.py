"""API under /api/v1/feeds/…

- `feeds/push/` (POST only): a hospital system pushes cases with `Authorization: FeedToken <key>`.
  The token is bound to one reporting source; it may submit cases of that source only, placed
  inside the scope of the unit that issued it, and it authenticates nowhere else (it is not a
  user and has no role, so it reads nothing).
- `feeds/uploads/`, `feeds/cases/` (read): the provenance of feed imports, scoped like the pages.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, serializers, status, viewsets
from rest_framework.response import Response

from safecommunity.core.drf import FormatSuffixMixin, ScopedReadOnlyViewSet

from . import permissions as feed_rules
from .forms import CaseFilterSet, UploadFilterSet
from .models import FeedCase, FeedToken, FeedUpload
from .push import push

READ_ROLES = feed_rules.view.roles


class FeedClient:
    """The principal of a push request: not a user, no role, no unit — `visible_to` gives it nothing."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    is_anonymous = False
    role = None
    pk = id = None
    org_unit_id = None
    department_id = None

    def __init__(self, token: FeedToken):
        self.token = token

    def __str__(self):
        return f"feed:{self.token}"


class FeedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "FeedToken"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace") != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        key = header[1].decode(errors="replace")
        token = FeedToken.objects.select_related("source", "scope_unit").filter(
            key_hash=FeedToken.hash_key(key), is_active=True).first()
        if token is None or not token.source.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked push token."))
        return FeedClient(token), token

    def authenticate_header(self, request):
        return self.keyword


class FeedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "safecommunity.feeds.api.FeedTokenAuthentication"
    name = "FeedToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "FeedToken <key> — a hospital system's push token (one reporting source)."}


class IsFeedClient(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, FeedToken) and isinstance(request.user, FeedClient)


class PushSerializer(serializers.Serializer):
    cases = serializers.ListField(child=serializers.DictField(), allow_empty=False, max_length=5000)


class FeedPushViewSet(FormatSuffixMixin, viewsets.ViewSet):
    """POST {"cases": [{card field: value, …}]} — all cases valid or nothing written."""

    authentication_classes = [FeedTokenAuthentication]
    permission_classes = [IsFeedClient]
    serializer_class = PushSerializer

    def create(self, request):
        serializer = PushSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = push(token=request.auth, cases=serializer.validated_data["cases"])
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(result, status=status.HTTP_201_CREATED)


class UploadSerializer(serializers.ModelSerializer):
    source = serializers.StringRelatedField()
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FeedUpload
        fields = ["id", "org_unit", "source", "channel", "file_name", "status", "rows_read", "rows_ready",
                  "rows_problem", "rows_duplicate", "rows_known", "rows_unplaced", "rows_imported", "import_batch",
                  "created_at", "imported_at"]


class CaseSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source = serializers.StringRelatedField()

    class Meta:
        model = FeedCase
        fields = ["id", "upload", "row", "card_number", "source", "status", "org_unit", "occurred_on", "record",
                  "duplicate_of"]


class UploadViewSet(ScopedReadOnlyViewSet):
    model = FeedUpload
    serializer_class = UploadSerializer
    filterset_class = UploadFilterSet
    read_roles = READ_ROLES
    select_related = ("source", "org_unit")


class CaseViewSet(ScopedReadOnlyViewSet):
    model = FeedCase
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    read_roles = READ_ROLES
    select_related = ("source", "org_unit")


def register(router):
    router.register("feeds/push", FeedPushViewSet, basename="feeds-push")
    router.register("feeds/uploads", UploadViewSet, basename="feeds-upload")
    router.register("feeds/cases", CaseViewSet, basename="feeds-case")
