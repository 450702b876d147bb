"""Evidence for the expert's scoring page: AQ/T 9001 element E12 (evaluation and continual
improvement) — the unit's year-end analysis meetings, and the inspections of the unit with their
follow-up items closed and open."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Finding, FollowUpItem, FollowUpStatus, Inspection, YearEndReview

ELEMENT = "E12"


def evidence(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    if element != ELEMENT:
        return []
    unit = creating_unit.org_unit
    reviews = YearEndReview.objects.filter(org_unit=unit)
    inspections = Inspection.objects.filter(org_unit=unit, status=Inspection.Status.RECORDED)
    if year is not None:
        reviews = reviews.filter(year=year)
        inspections = inspections.filter(inspected_on__year=year)
    out = []
    for r in reviews.order_by("-year")[:5]:
        n = r.follow_ups.count()
        done = r.follow_ups.filter(status=FollowUpStatus.CLOSED).count()
        out.append({"label": str(r), "value": _("held on %(d)s; %(done)s of %(n)s problems put right")
                    % {"d": r.held_on, "done": done, "n": n}, "url": r.get_absolute_url()})
    for i in inspections.select_related("plan").annotate(
            problems=Count("findings", filter=Q(findings__result=Finding.Result.PROBLEM)))[:10]:
        items = FollowUpItem.objects.filter(finding__inspection=i)
        closed = items.filter(status=FollowUpStatus.CLOSED).count()
        out.append({"label": _("Inspection: %(plan)s (%(d)s)") % {"plan": i.plan.title, "d": i.inspected_on},
                    "value": _("%(p)s problems found, %(c)s put right") % {"p": i.problems, "c": closed},
                    "url": reverse("inspections:inspection_detail", args=[i.pk])})
    return out
