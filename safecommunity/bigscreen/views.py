"""The command-centre big screen (数据大屏): a 1920×1080 page without menus for the city and
for each district, refreshing its figures from a JSON endpoint."""

from django.http import JsonResponse
from django.views.generic import TemplateView, View

from safecommunity.core.views import RoleRequiredMixin, district_for

from . import permissions
from .selectors import screen

REFRESH_SECONDS = 60


class ScreenMixin(RoleRequiredMixin):
    allowed_roles = permissions.view.roles

    def district(self, code: str | None):
        """None for the city; a district office always sees its own district."""
        return district_for(self.request.user, code)


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
