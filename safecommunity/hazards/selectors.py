"""Reads for pages, API, exports and panels. Everything starts from `visible_to(user)`."""

from collections import OrderedDict
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from safecommunity.core.roles import Role
from safecommunity.core.scoping import subtree_q
from safecommunity.orgunits.models import OrgUnit

from .choices import Grade, RegisterKind, Status
from .models import Hazard, RiskEntry
from .services import local_today


def hazard_worklist(user, today: date | None = None):
    """What waits for this user: to assign, to rectify, to accept, and everything overdue."""
    today = today or local_today()
    qs = Hazard.objects.visible_to(user)
    overdue = Q(deadline__lt=today) & ~Q(status=Status.CLOSED)
    if user.is_superuser or user.role in (Role.CITY, Role.DISTRICT):
        q = Q(status__in=[Status.REPORTED, Status.AWAITING]) | overdue
        if user.role == Role.CITY:
            q |= Q(is_supervised=True) & ~Q(status=Status.CLOSED)
    elif user.role == Role.DEPARTMENT:
        q = Q(department_id=user.department_id) & (Q(status__in=[Status.ASSIGNED, Status.RECTIFYING,
                                                                 Status.AWAITING]) | overdue)
    elif user.role == Role.UNIT and user.org_unit_id:
        q = subtree_q(user, "responsible_unit") & Q(status__in=[Status.ASSIGNED, Status.RECTIFYING])
        q |= overdue
    else:
        return qs.none()
    return qs.filter(q)


def _district_code(path: str) -> str:
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) > 1 else parts[0]


def _pct(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else None


GROUPINGS = ("district", "unit", "area", "grade", "month")


def hazard_stats(user, *, by: str = "district", year: int | None = None, today: date | None = None) -> list[dict]:
    """Found / rectified (closed) / overdue (open past the deadline) / closed late / rate of
    rectification / average days from found to closed, grouped `by` district, safety area,
    grade or month found (or by creating unit)."""
    today = today or local_today()
    qs = Hazard.objects.visible_to(user)
    if year:
        qs = qs.filter(found_on__year=year)
    rows = qs.values_list("found_on", "status", "deadline", "closed_on", "grade", "safety_area__code",
                          "safety_area__name", "org_unit__path")
    names = {}
    if by == "district":
        names = dict(OrgUnit.objects.districts().values_list("code", "name"))
    elif by == "unit":
        names = dict(OrgUnit.objects.filter(hazards__in=qs).values_list("code", "name").distinct())
    groups: dict[str, dict] = {}
    for found_on, status, deadline, closed_on, grade, area_code, area_name, path in rows:
        if by == "district":
            key, label = _district_code(path), None
        elif by == "unit":
            key, label = path.strip("/").split("/")[-1], None
        elif by == "area":
            key, label = area_code, area_name
        elif by == "grade":
            key, label = grade, Grade(grade).label
        else:
            key, label = found_on.strftime("%Y-%m"), found_on.strftime("%Y-%m")
        g = groups.setdefault(key, {"key": key, "label": label or names.get(key, key), "found": 0, "rectified": 0,
                                    "overdue": 0, "closed_late": 0, "_days": []})
        g["found"] += 1
        if status == Status.CLOSED:
            g["rectified"] += 1
            g["_days"].append((closed_on - found_on).days)
            if deadline and closed_on > deadline:
                g["closed_late"] += 1
        elif deadline and today > deadline:
            g["overdue"] += 1
    result = []
    for key in sorted(groups):
        g = groups[key]
        days = g.pop("_days")
        g["rate"] = _pct(g["rectified"], g["found"])
        g["avg_days"] = round(sum(days) / len(days), 1) if days else None
        result.append(g)
    return result


def stats_total(rows: list[dict]) -> dict:
    total = {k: sum(r[k] for r in rows) for k in ("found", "rectified", "overdue", "closed_late")}
    total["rate"] = _pct(total["rectified"], total["found"])
    weighted = [(r["avg_days"], r["rectified"]) for r in rows if r["avg_days"] is not None]
    n = sum(w for _a, w in weighted)
    total["avg_days"] = round(sum(a * w for a, w in weighted) / n, 1) if n else None
    total["label"] = _("Total")
    return total


def risk_counts_by_district(user, **filters) -> dict[str, int]:
    """{district adcode: number of register entries} in the user's scope."""
    counts: dict[str, int] = {}
    for path, n in (RiskEntry.objects.visible_to(user).filter(**filters).values_list("org_unit__path")
                    .annotate(n=Count("pk")).order_by()):
        code = _district_code(path)
        counts[code] = counts.get(code, 0) + n
    return counts


def risk_points(user, **filters) -> list[dict]:
    qs = (RiskEntry.objects.visible_to(user).filter(latitude__isnull=False, longitude__isnull=False, **filters)
          .select_related("org_unit"))
    return [{"name": e.name, "value": [float(e.longitude), float(e.latitude)], "level": e.risk_level,
             "kind": RegisterKind(e.kind).label, "unit": e.org_unit.name, "url": e.get_absolute_url()}
            for e in qs[:2000]]


def hazard_points(user, **filters) -> list[dict]:
    qs = (Hazard.objects.visible_to(user).open().filter(latitude__isnull=False, longitude__isnull=False, **filters)
          .select_related("org_unit"))
    return [{"name": str(h), "value": [float(h.longitude), float(h.latitude)], "grade": h.grade,
             "unit": h.org_unit.name, "url": h.get_absolute_url()} for h in qs[:2000]]


def unit_summary(user, org_unit) -> dict:
    """Hazards and register entries at or under `org_unit`, as the user may see them."""
    today = local_today()
    hazards = Hazard.objects.visible_to(user).filter(org_unit__path__startswith=org_unit.path)
    by_status = OrderedDict((s.value, 0) for s in Status)
    for status, n in hazards.values_list("status").annotate(n=Count("pk")).order_by():
        by_status[status] = n
    registers = OrderedDict((k.value, 0) for k in RegisterKind)
    for kind, n in (RiskEntry.objects.visible_to(user).filter(org_unit__path__startswith=org_unit.path)
                    .values_list("kind").annotate(n=Count("pk")).order_by()):
        registers[kind] = n
    return {
        "total": sum(by_status.values()),
        "by_status": [(Status(s).label, n) for s, n in by_status.items()],
        "open": sum(n for s, n in by_status.items() if s != Status.CLOSED),
        "overdue": hazards.overdue(today).count(),
        "major_open": hazards.open().filter(grade=Grade.MAJOR).count(),
        "registers": [(RegisterKind(k).label, n) for k, n in registers.items()],
    }
