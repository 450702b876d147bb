"""Base classes for the REST API. Every viewset fetches through `visible_to(user)`, the same
scoping as the pages: out of scope is 404; a role that may not write gets 403."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions, serializers, viewsets

from safecommunity.core.audit import set_request_actor
from safecommunity.core.middleware import protected_message
from safecommunity.core.params import BadParameter


class RolePermission(permissions.BasePermission):
    """Reads: any role the viewset allows (`read_roles`, None = all). Writes: `write_roles`."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        roles = getattr(view, "read_roles", None) if request.method in permissions.SAFE_METHODS else getattr(
            view, "write_roles", frozenset()
        )
        return roles is None or user.role in roles


class FormatSuffixMixin:
    """The router's ".json" routes pass `format=` to the handler; actions written as
    `def steps(self, request, pk=None)` then fail with a TypeError (a 500). The suffix is kept
    for content negotiation and not passed on."""

    def dispatch(self, request, *args, **kwargs):
        self._format_suffix = kwargs.pop("format", None)
        return super().dispatch(request, *args, **kwargs)

    def get_format_suffix(self, **kwargs):
        return getattr(self, "_format_suffix", None)


class ScopedViewSetMixin(FormatSuffixMixin):
    """`model` + `visible_to`; turns service errors into 400/403 answers."""

    model = None
    read_roles = None
    write_roles: frozenset = frozenset()
    select_related: tuple[str, ...] = ()
    permission_classes = [permissions.IsAuthenticated, RolePermission]

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A token is authenticated here, after the audit middleware looked: name its user now.
        set_request_actor(request.user)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            exc = exceptions.ValidationError(detail)
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        elif isinstance(exc, BadParameter):
            exc = exceptions.ValidationError({exc.param: [exc.message]})
        elif isinstance(exc, (ProtectedError, RestrictedError)):
            exc = exceptions.ValidationError({"non_field_errors": [protected_message(exc)]})
        return super().handle_exception(exc)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


# --- relation fields: the choices are what the requesting user may see ------------------------

class ScopedRelatedFieldMixin:
    """A writable relation looked up in `Model.objects.visible_to(request.user)` (narrowed by
    `narrow(queryset, user)` where a field needs less, e.g. the units a user records for).
    A value outside it — absent or in another scope — gets one neutral answer that names
    nothing, so ids and codes cannot be probed."""

    default_error_messages = {"does_not_exist": gettext_lazy("The object does not exist or you may not access it.")}

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return qs.none()
        return self.narrow(qs.visible_to(user), user)

    def narrow(self, queryset, user):
        return queryset


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField):
    """A record by id, among those the user may see."""


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, serializers.SlugRelatedField):
    """A record by a code (`slug_field`), among those the user may see."""


class OrgUnitField(ScopedSlugRelatedField):
    """An org unit by its official code. The division tree is public reference data (the real
    divisions of Chongqing), so any real code is accepted here and the service decides whether
    the user may act there (`require_scope`: 403 "outside your area of responsibility"); a code
    that is no org unit gets the neutral message. Pass `queryset=` to narrow (districts only)."""

    def __init__(self, **kwargs):
        from .scoping import org_unit_model

        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", org_unit_model().objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return serializers.SlugRelatedField.get_queryset(self)


class UnitField(ScopedSlugRelatedField):
    """The org unit a unit record is for, by its code: among the units the user records for
    (`core.forms.unit_choices`: a creating unit its own; a district its units, and itself with
    `allow_district=True`). Anything else gets the neutral message."""

    def __init__(self, *, allow_district: bool = False, **kwargs):
        from .scoping import org_unit_model

        self.allow_district = allow_district
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", org_unit_model().objects.all())
        super().__init__(**kwargs)

    def narrow(self, queryset, user):
        from .forms import unit_choices

        return queryset & unit_choices(user, allow_district=self.allow_district)
