"""Home page blocks: the city sees every major hazard under supervision until it is closed;
districts, departments and units see their hazard work in figures."""

from safecommunity.core.roles import Role

from .choices import Status
from .models import Hazard
from .selectors import hazard_worklist
from .services import local_today

# every model whose table home_panels reads: the blocks are kept per user until one changes
DEPENDS_ON = ("hazards.Hazard", "orgunits.OrgUnit", "orgunits.Department", "orgunits.Department_safety_areas",
              "core.CodeItem", "core.CodeList")


def home_panels(request):
    user = request.user
    if not (user.is_superuser or user.role in (Role.CITY, Role.DISTRICT, Role.DEPARTMENT, Role.UNIT)):
        return []
    today = local_today()
    hazards = Hazard.objects.visible_to(user)
    supervised = (hazards.filter(is_supervised=True).exclude(status=Status.CLOSED)
                  .select_related("org_unit__parent", "department").order_by("deadline"))
    context = {
        "supervised": list(supervised[:50]),
        "open": hazards.open().count(),
        "overdue": hazards.overdue(today).count(),
        "work": hazard_worklist(user, today).count(),
        "is_city": user.is_superuser or user.role == Role.CITY,
    }
    return [{"template": "hazards/panel_home.html", "context": context, "order": 20}]
