"""Crosswalk: the ISCCC six indicators ↔ the 12 AQ/T 9001 elements ↔ the product's records.

Sources and honesty:
- The six indicators' short descriptions are those of `seeds.ISCCC_ITEMS` (paraphrased from the
  indicators published by the International Safe Community Certifying Centre, isccc.global);
  they are NOT the official wording. The official text must be taken from ISCCC's documents.
- The element names are the `aqt_element` code list (AQ/T 9001-2006 element titles).
- Which elements serve which indicator, and which records serve which element, is OUR mapping
  (the product team's reading of both texts), not an official crosswalk. Each row says so on
  the page ("mapping: ours").
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .seeds import ISCCC_ITEMS

# indicator number (1–6, order of ISCCC_ITEMS) → elements it draws on (ours)
INDICATOR_ELEMENTS: dict[int, tuple[str, ...]] = {
    1: ("E01", "E02", "E04"),          # governance: organisation, participation, goals and plans
    2: ("E03", "E08", "E09"),          # surveillance: risk identification, monitoring, injury records
    3: ("E05", "E06", "E07"),          # comprehensive programmes: projects, training, emergency
    4: ("E03", "E05"),                 # vulnerable groups: high-risk groups identified, projects for them
    5: ("E08", "E11", "E12"),          # evaluation: monitoring, corrective actions, review
    6: ("E02", "E10"),                 # networking: communication and exchange, archive of it
}

# product records per element: (element, app label, model, lookup from the record to its unit, label)
RECORDS: list[tuple[str, str, str, str, object]] = [
    ("E01", "creation", "responsibilityletter", "org_unit", _("Responsibility letters")),
    ("E01", "evaluation", "specialfund", "creating_unit__org_unit", _("Special funds")),
    ("E02", "activities", "meeting", "org_unit", _("Meetings")),
    ("E03", "hazards", "riskentry", "org_unit", _("Risk register entries")),
    ("E03", "hazards", "hazard", "org_unit", _("Hazards")),
    ("E04", "creation", "creationtransition", "creating_unit__org_unit", _("Creation steps")),
    ("E05", "projects", "project", "org_unit", _("Safety promotion projects")),
    ("E06", "activities", "activity", "org_unit", _("Publicity and training events")),
    ("E07", "activities", "emergencyplan", "org_unit", _("Emergency plans")),
    ("E07", "activities", "drill", "org_unit", _("Emergency drills")),
    ("E08", "projects", "phaseevaluation", "project__org_unit", _("Phase evaluations of projects")),
    ("E09", "injuries", "injuryrecord", "org_unit", _("Injury records")),
    ("E11", "hazards", "hazard", "org_unit", _("Hazards")),
    ("E12", "evaluation", "application", "org_unit", _("Applications")),
]


def _model(app_label: str, model: str):
    try:
        return apps.get_model(app_label, model)
    except LookupError:  # an app that is not installed contributes nothing
        return None


def unit_crosswalk(org_unit) -> list[dict]:
    """Per ISCCC indicator: its elements, each with the unit's records and archive files, and
    whether the indicator has any evidence yet. The caller has checked the unit is in scope."""
    from safecommunity.archive.models import Attachment
    from safecommunity.core.models import CodeItem

    codes = {c.code: c for c in CodeItem.objects.of("aqt_element")}
    per_element: dict[str, dict] = {}
    for code, element in codes.items():
        records = []
        for e, app_label, model, lookup, label in RECORDS:
            if e != code:
                continue
            m = _model(app_label, model)
            if m is None:
                continue
            records.append({"label": label, "count": m._default_manager.filter(**{lookup: org_unit}).count()})
        files = Attachment.objects.filter(org_unit=org_unit).with_element(element).count()
        per_element[code] = {"element": element, "records": records, "files": files,
                             "has_evidence": files > 0 or any(r["count"] for r in records)}
    rows = []
    for number, (_code, text) in enumerate(ISCCC_ITEMS, start=1):
        elements = [per_element[c] for c in INDICATOR_ELEMENTS[number] if c in per_element]
        rows.append({"number": number, "text": text, "elements": elements,
                     "has_evidence": any(e["has_evidence"] for e in elements)})
    return rows
