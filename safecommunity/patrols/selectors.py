"""Reads of the patrols app: when each point is due and which are missed."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max
from django.utils import timezone

from safecommunity.core.scoping import within_q

from .models import Patrol, PatrolPoint


@dataclass
class Due:
    point: PatrolPoint
    last: date | None
    due: date

    @property
    def missed(self) -> bool:
        return self.due < timezone.localdate()


def points_due(points, today: date | None = None) -> list[Due]:
    """Each active point's next patrol date: the last patrol (or its registration) plus its
    rhythm. Two queries whatever the number of points."""
    points = list(points.filter(is_active=True))
    last = dict(Patrol.objects.filter(point__in=points).values("point_id")
                .annotate(at=Max("patrolled_at")).values_list("point_id", "at"))
    rows = []
    for p in points:
        seen = timezone.localdate(last[p.pk]) if p.pk in last else None
        start = seen or timezone.localdate(p.created_at)
        rows.append(Due(point=p, last=seen, due=start + timedelta(days=p.every_days)))
    return sorted(rows, key=lambda d: d.due)


def missed(user, today: date | None = None) -> list[Due]:
    today = today or timezone.localdate()
    return [d for d in points_due(PatrolPoint.objects.visible_to(user), today) if d.due < today]


def unit_figures(user, org_unit) -> dict:
    """A unit's patrol figures: points, patrols this month, marked ones, missed points."""
    today = timezone.localdate()
    points = PatrolPoint.objects.visible_to(user).filter(within_q("org_unit", org_unit))
    patrols = Patrol.objects.visible_to(user).filter(within_q("org_unit", org_unit),
                                                     patrolled_at__date__gte=today.replace(day=1))
    return {
        "points": points.filter(is_active=True).count(),
        "this_month": patrols.count(),
        "marked": patrols.filter(too_far=True).count() + patrols.filter(outside_window=True, too_far=False).count(),
        "missed": sum(1 for d in points_due(points, today) if d.due < today),
    }
