"""Home-page blocks of the dashboards app: the first items of the 待办 inbox for every role, and the
homes of the roles that have no district map — municipal department, expert, system administrator."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from safecommunity.core.registry import request_todos
from safecommunity.core.roles import Role

INBOX_PREVIEW = 8


def home_panels(request) -> list[dict]:
    user = request.user
    todos = request_todos(request)
    panels = [{"template": "dashboards/panel_todo.html", "order": 1, "context": {
        "todos": todos[:INBOX_PREVIEW], "count": len(todos), "overdue": sum(1 for t in todos if t.overdue)}}]
    if user.role == Role.DEPARTMENT and not user.is_superuser:
        panels.append({"template": "dashboards/panel_department.html", "order": 15, "context": department_home(user)})
    elif user.role == Role.EXPERT and not user.is_superuser:
        panels.append({"template": "dashboards/panel_expert.html", "order": 15, "context": expert_home(user)})
    elif user.role == Role.SYSADMIN and not user.is_superuser:
        panels.append({"template": "dashboards/panel_sysadmin.html", "order": 15, "context": sysadmin_home(user)})
    return panels


def department_home(user) -> dict:
    """Its domain across the districts: open hazards of the department, overdue first; the joint
    meeting's follow-up items it owns."""
    from safecommunity.creation.choices import FollowUpStatus
    from safecommunity.creation.models import FollowUp
    from safecommunity.hazards.models import Hazard

    today = timezone.localdate()
    hazards = Hazard.objects.visible_to(user).open().filter(department_id=user.department_id)
    followups = FollowUp.objects.visible_to(user).filter(status=FollowUpStatus.OPEN).order_by("due_on", "pk")
    return {
        "department": user.department,
        "hazards": list(hazards.select_related("org_unit__parent").order_by("deadline", "pk")[:10]),
        "hazard_count": hazards.count(),
        "overdue_count": hazards.filter(deadline__lt=today).count(),
        "followups": list(followups[:10]),
        "followup_count": followups.count(),
        "today": today,
    }


def expert_home(user) -> dict:
    """The expert's evaluations: unit, site visit, own scoring progress and the panel's."""
    from safecommunity.evaluation.models import Application, PanelMember

    members = (PanelMember.objects.filter(expert=user, application__in=Application.objects.visible_to(user))
               .select_related("application__org_unit__parent")
               .annotate(scored=Count("scores", distinct=True),
                         items=Count("application__scheme__items", distinct=True))
               .order_by("application__site_visit_on", "pk"))
    rows = []
    for m in members:
        app = m.application
        panel = list(app.panel.values_list("submitted_at", flat=True))
        rows.append({"app": app, "lead": m.is_lead, "submitted": m.submitted_at is not None,
                     "scored": m.scored, "items": m.items, "closed": app.status in Application.CLOSED_STATUSES,
                     "panel_done": sum(1 for s in panel if s), "panel_size": len(panel),
                     "can_score": app.status == Application.Status.EVALUATING and m.submitted_at is None})
    open_rows = [r for r in rows if not r["closed"]]
    return {"rows": open_rows + [r for r in rows if r["closed"]], "open": len(open_rows)}


def sysadmin_home(user) -> dict:
    """Users, locked accounts, failed sign-ins, code lists and the health of the reference data."""
    from axes.models import AccessAttempt

    from safecommunity.accounts.models import User
    from safecommunity.accounts.todos import locked_attempts
    from safecommunity.core.models import CodeList
    from safecommunity.orgunits.models import Department, OrgUnit

    week_ago = timezone.now() - timedelta(days=7)
    users = User.objects.all()
    by_role = dict(users.filter(is_active=True).values("role").annotate(n=Count("pk")).values_list("role", "n"))
    codelists = CodeList.objects.annotate(active=Count("items", filter=Q(items__is_active=True)))
    units = OrgUnit.objects.all()
    departments = Department.objects.annotate(areas=Count("safety_areas"))
    checks = [
        {"label": "districts", "value": units.districts().count()},
        {"label": "townships", "value": units.townships().count()},
        {"label": "departments", "value": departments.count(),
         "problem": departments.filter(areas=0).count()},
        {"label": "codelists", "value": codelists.count(), "problem": codelists.filter(active=0).count()},
        {"label": "users_without_unit", "value": users.filter(is_active=True).filter(
            Q(role=Role.DEPARTMENT, department__isnull=True) | (~Q(role=Role.DEPARTMENT) & Q(org_unit__isnull=True))
        ).exclude(is_superuser=True).count(), "is_problem_count": True},
    ]
    return {
        "roles": [(Role(r).label, by_role.get(r, 0), r) for r in Role.values],
        "active": users.filter(is_active=True).count(),
        "inactive": users.filter(is_active=False).count(),
        "locked": list(locked_attempts()[:10]),
        "failed": AccessAttempt.objects.filter(attempt_time__gte=week_ago).aggregate(
            n=Count("pk"), users=Count("username", distinct=True)),
        "checks": {c["label"]: c for c in checks},
        "empty_codelists": list(codelists.filter(active=0)[:10]),
    }
