"""Reads for pages, API, exports and panels. Everything starts from `visible_to(user)`."""

from collections import OrderedDict
from datetime import date

from django.db.models import Count, DurationField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from safecommunity.core.roles import Role
from safecommunity.core.scoping import path_codes, within_q
from safecommunity.orgunits.models import OrgUnit

from .choices import Grade, RegisterKind, Status
from .models import Hazard, RiskEntry
from .services import local_today


def hazard_worklist(user, today: date | None = None):
    """What waits for this user: to assign, to rectify, to accept, and everything overdue."""
    today = today or local_today()
    # every branch below waits on an open hazard: said once (the register's open()), so the
    # open-hazards index serves the list
    qs = Hazard.objects.visible_to(user).open()
    overdue = Q(deadline__lt=today)
    if user.is_superuser or user.role in (Role.CITY, Role.DISTRICT):
        q = Q(status__in=[Status.REPORTED, Status.AWAITING]) | overdue
        if user.role == Role.CITY:
            q |= Q(is_supervised=True)
    elif user.role == Role.DEPARTMENT:
        q = Q(department_id=user.department_id) & (Q(status__in=[Status.ASSIGNED, Status.RECTIFYING,
                                                                 Status.AWAITING]) | overdue)
    elif user.role == Role.UNIT and user.org_unit_id:
        q = within_q("responsible_unit", user) & Q(status__in=[Status.ASSIGNED, Status.RECTIFYING])
        q |= overdue
    else:
        return qs.none()
    return qs.filter(q)


def _district_code(path: str) -> str:
    codes = path_codes(path)
    return codes[1] if len(codes) > 1 else codes[0]


def _pct(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else None


GROUPINGS = ("district", "unit", "area", "grade", "month")


def hazard_stats(user, *, by: str = "district", year: int | None = None, today: date | None = None) -> list[dict]:
    """Found / rectified (closed) / overdue (open past the deadline) / closed late / rate of
    rectification / average days from found to closed, grouped `by` district, safety area,
    grade or month found (or by creating unit). Counted by the database (one GROUP BY: ten years
    of a city's hazards are too many rows to bring into Python); districts are summed from their
    units' rows."""
    today = today or local_today()
    qs = Hazard.objects.visible_to(user)
    if year:
        qs = qs.filter(found_on__year=year)
    closed = Q(status=Status.CLOSED)
    key_fields = {"district": ["org_unit__path"], "unit": ["org_unit__path"],
                  "area": ["safety_area__code", "safety_area__name"], "grade": ["grade"], "month": ["month"]}[by]
    if by == "month":
        qs = qs.annotate(month=TruncMonth("found_on"))
    counted = (qs.order_by().values(*key_fields)
               .annotate(found=Count("pk"), rectified=Count("pk", filter=closed),
                         closed_late=Count("pk", filter=closed & Q(deadline__isnull=False, closed_on__gt=F("deadline"))),
                         overdue=Count("pk", filter=~closed & Q(deadline__lt=today)),
                         days=Sum(F("closed_on") - F("found_on"), filter=closed, output_field=DurationField())))
    names = {}
    if by == "district":
        names = dict(OrgUnit.objects.districts().values_list("code", "name"))
    elif by == "unit":
        names = dict(OrgUnit.objects.filter(hazards__in=qs).values_list("code", "name").distinct())
    groups: dict[str, dict] = {}
    for row in counted:
        if by == "district":
            key, label = _district_code(row["org_unit__path"]), None
        elif by == "unit":
            key, label = path_codes(row["org_unit__path"])[-1], None
        elif by == "area":
            key, label = row["safety_area__code"], row["safety_area__name"]
        elif by == "grade":
            key, label = row["grade"], Grade(row["grade"]).label
        else:
            month = row["month"]
            key = label = (month.date() if hasattr(month, "date") else month).strftime("%Y-%m")
        g = groups.setdefault(key, {"key": key, "label": label or names.get(key, key), "found": 0, "rectified": 0,
                                    "overdue": 0, "closed_late": 0, "_days": 0})
        for name in ("found", "rectified", "overdue", "closed_late"):
            g[name] += row[name]
        g["_days"] += row["days"].days if row["days"] is not None else 0
    result = []
    for key in sorted(groups):
        g = groups[key]
        days = g.pop("_days")
        g["rate"] = _pct(g["rectified"], g["found"])
        g["avg_days"] = round(days / g["rectified"], 1) if g["rectified"] else None
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
    hazards = Hazard.objects.visible_to(user).filter(within_q("org_unit", org_unit))
    by_status = OrderedDict((s.value, 0) for s in Status)
    for status, n in hazards.values_list("status").annotate(n=Count("pk")).order_by():
        by_status[status] = n
    registers = OrderedDict((k.value, 0) for k in RegisterKind)
    for kind, n in (RiskEntry.objects.visible_to(user).filter(within_q("org_unit", org_unit))
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
