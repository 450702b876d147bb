"""Writes of the patrols app: registering points, recording a patrol (a finding becomes a
hazard report in the same step, through hazards.services.hazard_report)."""

import math
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core.services import submission_record, submission_seen
from safecommunity.hazards.services import hazard_report

from . import permissions
from .models import Patrol, PatrolPoint

MANAGE_ROLES = tuple(permissions.manage.roles)
PATROL_ROLES = tuple(permissions.patrol.roles)
POINT_FIELDS = ("name", "place", "latitude", "longitude", "checklist", "every_days", "window_start",
                "window_end", "max_distance_m", "is_active")


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def _coord(value, field):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise ValidationError({field: _("Enter the map point as decimal degrees.")}) from exc


@transaction.atomic
def point_save(*, actor, org_unit, point: PatrolPoint | None = None, **data) -> PatrolPoint:
    """Register a patrol point of `org_unit` (a creating unit in the actor's scope) or change one."""
    require_role(actor, *MANAGE_ROLES)
    if org_unit is None:
        raise ValidationError({"org_unit": _("Choose the unit the point belongs to.")})
    require_scope(actor, org_unit)
    if point is not None:
        require_scope(actor, point.org_unit)
    if not org_unit.is_creating_level:
        raise ValidationError({"org_unit": _("Choose a township, street, enterprise or park, not %(unit)s.")
                               % {"unit": org_unit}})
    point = point or PatrolPoint(created_by=actor)
    point.org_unit = org_unit
    for name in POINT_FIELDS:
        if name in data:
            setattr(point, name, data[name])
    point.full_clean()
    point.save()
    return point


def _in_window(point: PatrolPoint, at: datetime) -> bool:
    local = timezone.localtime(at).time()
    return point.window_start <= local <= point.window_end


@transaction.atomic
def patrol_record(*, actor, point: PatrolPoint, answers: list[dict], note: str = "", latitude=None,
                  longitude=None, at: datetime | None = None, idempotency_key: str = "",
                  report_hazard: bool = False, safety_area=None, grade: str = "general",
                  photos=None) -> Patrol:
    """Record a patrol of `point` by `actor` at `at` (now), where the phone was. Marks it when the
    phone was farther than the point's allowed distance or the time outside its window. With
    `report_hazard`, the note becomes a hazard report of the point's unit, in the same step."""
    require_role(actor, *PATROL_ROLES)
    require_scope(actor, point.org_unit)
    earlier = submission_seen(key=idempotency_key, actor=actor, model=Patrol)
    if earlier is not None:
        return earlier
    if not point.is_active:
        raise ValidationError({"point": _("This patrol point is no longer in use.")})
    items = point.items
    given = {a.get("item"): bool(a.get("ok")) for a in answers}
    missing = [i for i in items if i not in given]
    if missing:
        raise ValidationError({"answers": _("Answer every item: %(items)s") % {"items": "、".join(missing)}})
    at = at or timezone.now()
    lat, lon = _coord(latitude, "latitude"), _coord(longitude, "longitude")
    patrol = Patrol(point=point, org_unit=point.org_unit, patroller=actor, patrolled_at=at, latitude=lat,
                    longitude=lon, answers=[{"item": i, "ok": given[i]} for i in items], note=(note or "").strip(),
                    outside_window=not _in_window(point, at), no_location=lat is None or lon is None)
    if not patrol.no_location:
        patrol.distance_m = round(distance_m(lat, lon, point.latitude, point.longitude))
        patrol.too_far = patrol.distance_m > point.max_distance_m
    if report_hazard:
        if not patrol.note:
            raise ValidationError({"note": _("Describe the hazard found.")})
        if safety_area is None:
            raise ValidationError({"safety_area": _("Choose the safety area of the hazard.")})
        patrol.hazard = hazard_report(
            actor=actor, org_unit=point.org_unit, address=point.place, safety_area=safety_area,
            description=patrol.note, grade=grade, finder=str(actor), found_on=timezone.localdate(at),
            latitude=lat if lat is not None else point.latitude,
            longitude=lon if lon is not None else point.longitude, photos=photos)
    patrol.full_clean()
    patrol.save()
    submission_record(key=idempotency_key, actor=actor, obj=patrol)
    return patrol
