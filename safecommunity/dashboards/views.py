from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from safecommunity.core.registry import home_panels, request_todos
from safecommunity.core.roles import Role

from .selectors import district_progress, unit_status_totals


@login_required
def home(request):
    """The role's home page: figures in the user's scope, the district map, and app panels."""
    user = request.user
    ctx = {"title": "", "role": user.role}
    # The district map and its figures are the offices' home; a department, an expert and the
    # system administrator have homes of their own (dashboards/panels.py), not "38 区县" and zeros.
    if user.role in (Role.CITY, Role.DISTRICT) or user.is_superuser:
        ctx["totals"] = unit_status_totals(user)
        ctx["districts"] = district_progress(user)
        ctx["map_values"] = {d["code"]: d["launched_pct"] for d in ctx["districts"]}
    if user.role == Role.UNIT:
        ctx["creating_unit"] = user.creating_unit
    if user.role == Role.DEPARTMENT and user.department_id:
        ctx["department"] = user.department
    ctx["panels"] = home_panels(request)
    return render(request, "dashboards/home.html", ctx)


@login_required
def todo(request):
    """待办: everything waiting on the user, overdue first, each a link to the item itself."""
    items = request_todos(request)
    return render(request, "dashboards/todo.html", {
        "title": _("To-do"), "todos": items, "overdue": sum(1 for t in items if t.overdue)})
