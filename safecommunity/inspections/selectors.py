"""Reads of inspections: results and open findings per unit and per district, ranked; the
year-end meeting's targets computed from the scorecard."""

from django.db.models import Count, Q
from django.utils import timezone

from safecommunity.orgunits.models import OrgUnit

from .models import Finding, FollowUpItem, FollowUpStatus, Inspection


def ranking(user, *, area: OrgUnit, year: int) -> dict:
    """Per unit under `area` (rows of units), and per district when `area` is the city: inspections
    recorded in the year, problems found, follow-ups open and overdue; most open first."""
    today = timezone.localdate()
    inspections = Inspection.objects.visible_to(user).under(area.path).filter(scheduled_on__year=year)
    findings = Finding.objects.visible_to(user).filter(inspection__in=inspections)
    followups = FollowUpItem.objects.visible_to(user).filter(finding__inspection__in=inspections)
    per_unit: dict[int, dict] = {}
    for row in inspections.values("org_unit").annotate(
            planned=Count("pk"), recorded=Count("pk", filter=Q(status=Inspection.Status.RECORDED))).order_by():
        per_unit[row["org_unit"]] = {"planned": row["planned"], "recorded": row["recorded"], "problems": 0,
                                     "ok": 0, "open": 0, "overdue": 0, "closed": 0}
    for row in findings.values("inspection__org_unit", "result").annotate(n=Count("pk")).order_by():
        d = per_unit.setdefault(row["inspection__org_unit"], {})
        if row["result"] == Finding.Result.PROBLEM:
            d["problems"] = d.get("problems", 0) + row["n"]
        elif row["result"] == Finding.Result.OK:
            d["ok"] = d.get("ok", 0) + row["n"]
    for row in followups.values("org_unit").annotate(
            open=Count("pk", filter=Q(status=FollowUpStatus.OPEN)),
            overdue=Count("pk", filter=Q(status=FollowUpStatus.OPEN, due_on__lt=today)),
            closed=Count("pk", filter=Q(status=FollowUpStatus.CLOSED))).order_by():
        per_unit.setdefault(row["org_unit"], {}).update(open=row["open"], overdue=row["overdue"],
                                                         closed=row["closed"])
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=per_unit)}
    rows = []
    for uid, d in per_unit.items():
        checked = d.get("ok", 0) + d.get("problems", 0)
        rows.append({"unit": units[uid], "planned": d.get("planned", 0), "recorded": d.get("recorded", 0),
                     "problems": d.get("problems", 0), "open": d.get("open", 0), "overdue": d.get("overdue", 0),
                     "closed": d.get("closed", 0),
                     "conformity": round(100 * d.get("ok", 0) / checked) if checked else None})
    rows.sort(key=lambda r: (-r["open"], -r["overdue"], -r["problems"], r["unit"].code))
    districts = []
    if area.level == OrgUnit.Level.CITY:
        by_code: dict[str, dict] = {}
        for r in rows:
            codes = r["unit"].ancestor_codes
            if len(codes) < 2:
                continue
            d = by_code.setdefault(codes[1], {"units": 0, "recorded": 0, "problems": 0, "open": 0, "overdue": 0,
                                              "closed": 0})
            d["units"] += 1
            for k in ("recorded", "problems", "open", "overdue", "closed"):
                d[k] += r[k]
        names = {u.code: u for u in OrgUnit.objects.filter(code__in=by_code)}
        districts = sorted(({"unit": names[c], **d} for c, d in by_code.items() if c in names),
                           key=lambda r: (-r["open"], -r["overdue"], r["unit"].code))
    return {"rows": rows, "districts": districts}


def review_targets(review):
    """The unit's scorecard for the year reviewed: each rule's value against its minimum."""
    from safecommunity.scorecard.selectors import unit_scorecard

    creating_unit = getattr(review.org_unit, "creating_unit", None)
    if creating_unit is None:
        return None
    return unit_scorecard(creating_unit, review.year)
