"""The command-centre big screen (数据大屏): a 1920×1080 page without menus for the city and
for each district, refreshing its figures from a JSON endpoint."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from safecommunity.core.roles import Role
from safecommunity.core.views import RoleRequiredMixin
from safecommunity.orgunits.models import OrgUnit

from .selectors import screen

REFRESH_SECONDS = 60


class ScreenMixin(RoleRequiredMixin):
    allowed_roles = frozenset({Role.CITY, Role.DISTRICT})

    def district(self, code: str | None):
        """None for the city; a district office always sees its own district."""
        user = self.request.user
        if user.role == Role.DISTRICT and not user.is_superuser:
            own = OrgUnit.objects.visible_to(user).districts().first()
            if own is None:
                raise PermissionDenied
            if code and code != own.code:
                raise Http404
            return own
        if not code:
            return None
        return get_object_or_404(OrgUnit.objects.visible_to(user).districts(), code=code)


class ScreenView(ScreenMixin, TemplateView):
    template_name = "bigscreen/screen.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        district = self.district(kwargs.get("code"))
        ctx["district"] = district
        ctx["data"] = screen(self.request.user, district)
        refresh = self.request.GET.get("refresh", "")
        ctx["refresh"] = max(5, int(refresh)) if refresh.isdigit() else REFRESH_SECONDS
        return ctx


class ScreenDataView(ScreenMixin, View):
    def get(self, request, code=None):
        return JsonResponse(screen(request.user, self.district(code)), json_dumps_params={"ensure_ascii": False})
