"""Default AQ/T 9001 element of a file by the type of record it belongs to.

A file that has no element of its own is counted under its record type's default. Rules name
an app label and optionally a model-name fragment; apps that are not installed (or not yet
written) simply match nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

# (app label, model-name fragment or "", element code) — the first match wins.
RULES: list[tuple[str, str, str]] = [
    ("promotion", "drill", "E07"),
    ("promotion", "emergency", "E07"),
    ("promotion", "plan", "E07"),
    ("promotion", "training", "E06"),
    ("promotion", "publicity", "E06"),
    ("promotion", "", "E05"),
    ("activities", "drill", "E07"),
    ("activities", "training", "E06"),
    ("activities", "", "E06"),
    ("projects", "", "E05"),
    ("hazards", "rectif", "E11"),
    ("hazards", "", "E03"),
    ("injuries", "", "E09"),
    ("reports", "", "E08"),
    ("creation", "letter", "E01"),
    ("creation", "target", "E04"),
    ("creation", "plan", "E04"),
    ("creation", "", "E01"),
    ("scorecard", "", "E12"),
    ("evaluation", "rectification", "E11"),
    ("evaluation", "spending", "E01"),
    ("evaluation", "", "E12"),
]


def element_for(app_label: str, model: str) -> str:
    for label, fragment, code in RULES:
        if label == app_label and fragment in model:
            return code
    return ""


def default_element_code(content_type) -> str:
    if content_type is None:
        return ""
    return element_for(content_type.app_label, content_type.model)


def default_q(element_code: str) -> Q:
    """Files whose record type defaults to `element_code` (content types that exist now)."""
    ids = [ct.pk for ct in ContentType.objects.all() if element_for(ct.app_label, ct.model) == element_code]
    return Q(content_type_id__in=ids)
