"""Base classes for the REST API. Every viewset fetches through `visible_to(user)`, the same
scoping as the pages: out of scope is 404; a role that may not write gets 403."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, permissions, viewsets

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


class ScopedViewSetMixin:
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
