"""The 待办 inbox: applications waiting on the user (as the home panel's WAITING_FOR says), the
expert's evaluations still to score (site visit as the deadline) and open rectification items."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.roles import Role
from safecommunity.core.todos import Todo

from .models import Application, PanelMember, Rectification
from .panels import WAITING_FOR

# Every model whose table todos() reads: its items stay cached until one of them changes.
DEPENDS_ON = (
    "evaluation.Application",
    "evaluation.PanelMember",
    "evaluation.Rectification",
    "evaluation.SchemeItem",
    "orgunits.OrgUnit",
)

KINDS = {
    "draft": lambda: _("Self-assessment to complete"),
    "returned": lambda: _("Returned application to correct"),
    "submitted": lambda: _("Application to review"),
    "forwarded": lambda: _("Application to assign experts"),
    "decided": lambda: _("Evaluation result to confirm"),
}


def todos(user) -> list[Todo]:
    today = timezone.localdate()
    items = []
    if user.role == Role.EXPERT:
        members = (PanelMember.objects.filter(expert=user, application__status=Application.Status.EVALUATING)
                   .select_related("application__org_unit")[:100])
        for m in members:
            app = m.application
            if m.submitted_at is not None:
                if m.is_lead and not app.panel.filter(submitted_at__isnull=True).exists():
                    items.append(Todo(kind=_("Scores to consolidate"), title=str(app),
                                      url=reverse("evaluation:consolidate", args=[app.pk]),
                                      key=f"evaluation.consolidate.{app.pk}"))
                continue
            items.append(Todo(kind=_("Evaluation to score"), title=str(app),
                              url=reverse("evaluation:expert_scores", args=[app.pk]), deadline=app.site_visit_on,
                              overdue=bool(app.site_visit_on and app.site_visit_on < today),
                              key=f"evaluation.score.{app.pk}"))
        return items
    role = Role.CITY if user.is_superuser else user.role
    statuses = WAITING_FOR.get(role, [])
    for app in Application.objects.visible_to(user).filter(status__in=statuses).select_related("org_unit")[:100]:
        if app.status == "decided" and role == Role.UNIT:
            continue  # the unit's part after the decision is its rectification items, below
        items.append(Todo(kind=KINDS[app.status](), title=str(app), url=app.get_absolute_url(),
                          key=f"evaluation.{app.status}.{app.pk}"))
    if role == Role.UNIT:  # the unit does them; the office sees the application to confirm
        rects = (Rectification.objects.visible_to(user).filter(status=Rectification.Status.OPEN,
                                                                application__status=Application.Status.DECIDED)
                 .select_related("application__org_unit", "item")[:100])
        for r in rects:
            items.append(Todo(kind=_("Rectification item to complete"), title=f"{r.application.org_unit.name}：{r}",
                              url=reverse("evaluation:rectification_done", args=[r.pk]),
                              key=f"evaluation.rectify.{r.pk}"))
    return items
