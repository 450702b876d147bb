"""The home page block: this year's plan progress for the city office and district offices."""

from django.utils import timezone

from . import permissions
from .models import PlanYear
from .selectors import plan_rows

# every model whose table home_panels reads: the blocks are kept per user until one changes
DEPENDS_ON = ("creation.PlanYear", "creation.DistrictPlan", "creation.CreationTransition", "orgunits.CreatingUnit",
              "orgunits.OrgUnit")


def home_panels(request):
    user = request.user
    if not permissions.plans(user):
        return []
    plan = PlanYear.objects.visible_to(user).filter(year__lte=timezone.localdate().year).order_by("-year").first()
    if plan is None:
        return []
    totals = plan_rows(user, plan)
    if not totals.rows:
        return []
    district = None if permissions.plan_targets(user) else user.district  # a district office: its own row
    return [{"template": "creation/district_progress.html", "order": 20,
             "context": {"plan": plan, "totals": totals, "district": district}}]
