"""A safety promotion project's page: for each of its indicators measured by the resident survey
(知晓率, 参与率, 满意度 …), that figure in every survey round of the project's unit, the last round
before the project started as the baseline and the change since, with its test."""

from django.utils.translation import gettext as _

from . import selectors, stats
from .models import SurveyRound

ROUNDS_SHOWN = 8


def project_panels(request, project) -> list[dict]:
    measured = [i for i in project.indicators.all() if i.survey_measure]
    if not measured:
        return []
    rounds = list(SurveyRound.objects.visible_to(request.user).filter(org_unit_id=project.org_unit_id)
                  .select_related("questionnaire").order_by("-starts_on", "-pk")[:ROUNDS_SHOWN])
    rounds.reverse()
    figures = {}
    for r in rounds:
        rows = selectors.indicator_rows(r.responses.all(), per_question=False)
        figures[r.pk] = {row.key: row.overall for row in rows}
    blocks = []
    for indicator in measured:
        cells = [{"round": r, "before": r.starts_on < project.start_on, "p": figures[r.pk].get(indicator.survey_measure)}
                 for r in rounds]
        cells = [c for c in cells if c["p"] is not None and c["p"].n]
        baseline = next((c for c in reversed(cells) if c["before"]), None)
        latest = next((c for c in reversed(cells) if not c["before"]), None)
        change = stats.two_proportion_test(baseline["p"], latest["p"]) if baseline and latest else None
        blocks.append({"indicator": indicator, "cells": cells, "baseline": baseline, "latest": latest,
                       "change": change})
    return [{"template": "surveys/panel_project.html", "order": 50,
             "context": {"title": _("Resident survey figures"), "blocks": blocks, "project": project}}]
