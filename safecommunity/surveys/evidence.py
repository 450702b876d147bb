"""Evidence for the expert's scoring page: AQ/T 9001 element E03 (injury surveillance and the
知信行及满意度调查 of the national on-site scheme, evaluation/seeds.py) — each survey round of the
unit with its indicators, and the household survey's incidence."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .models import Indicator, SurveyRound

ELEMENT = "E03"


def evidence(*, creating_unit, element: str, year: int | None = None) -> list[dict]:
    if element != ELEMENT:
        return []
    rounds = SurveyRound.objects.filter(org_unit=creating_unit.org_unit).select_related("questionnaire")
    if year is not None:
        rounds = rounds.filter(starts_on__year=year)
    out = []
    for r in rounds.order_by("-starts_on")[:10]:
        rows = selectors.indicator_rows(r.responses.all(), per_question=False)
        parts = [f"{row.label} {row.overall.as_text()}" for row in rows if row.key in Indicator.values]
        if r.questionnaire.is_household:
            hh = selectors.household_incidence(r.responses.all(), r.recall_months)
            parts.append(_("injury incidence %(r)s per 1,000 persons (%(p)s persons)")
                         % {"r": hh.total.as_text(), "p": hh.persons})
        out.append({"label": _("Survey: %(title)s (%(start)s)") % {"title": r.title, "start": r.starts_on},
                    "value": "；".join(parts) or _("no answers yet"),
                    "url": reverse("surveys:round_results", args=[r.pk])})
    return out
