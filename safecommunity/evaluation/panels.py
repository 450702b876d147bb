"""Home-page block: the evaluation work waiting for this user (by role)."""

from django.db.models import Count

from safecommunity.core.roles import Role

from .models import Application, PanelMember

WAITING_FOR = {
    Role.UNIT: ["draft", "returned", "decided"],
    Role.DISTRICT: ["submitted"],
    Role.CITY: ["forwarded", "decided"],
}


# every model whose table home_panels reads: the blocks are kept per user until one changes
DEPENDS_ON = ("evaluation.Application", "evaluation.PanelMember", "orgunits.OrgUnit")


def home_panels(request) -> list[dict]:
    user = request.user
    role = Role.CITY if user.is_superuser else user.role
    if role == Role.EXPERT:
        members = PanelMember.objects.filter(expert=user).exclude(
            application__status__in=Application.CLOSED_STATUSES).select_related("application__org_unit")
        rows = [{"app": m.application, "submitted": m.submitted_at is not None, "lead": m.is_lead} for m in members]
        return [{"template": "evaluation/home_panel.html", "order": 60, "context": {"is_expert": True, "expert_rows": rows}}]
    statuses = WAITING_FOR.get(role)
    if not statuses:
        return []
    qs = Application.objects.visible_to(user)
    counts = {r["status"]: r["n"] for r in qs.values("status").annotate(n=Count("pk")).order_by()}
    waiting = qs.filter(status__in=statuses).select_related("org_unit")[:10]
    return [{"template": "evaluation/home_panel.html", "order": 60, "context": {
        "waiting": waiting, "counts": [(Application.Status(s).label, n) for s, n in sorted(counts.items())]}}]
