"""Reads of the creation archive: completeness per element and the binder's table of contents."""

from collections import Counter

from safecommunity.core.models import CodeItem

from .elements import element_for
from .models import Attachment, settings_model


def elements():
    return list(CodeItem.objects.of("aqt_element").order_by("sort_order", "code"))


def default_scheme():
    """The default scoring scheme (settings.ARCHIVE_SCHEME_MODEL), if that app is installed."""
    Scheme = settings_model("ARCHIVE_SCHEME_MODEL")
    if Scheme is None:
        return None
    return Scheme.objects.filter(is_default=True, is_active=True).prefetch_related("items").first()


def element_counts(attachments) -> Counter:
    """{element code: number of files} with record-type defaults applied; '' = unindexed."""
    from django.contrib.contenttypes.models import ContentType

    cts = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    codes = dict(CodeItem.objects.of("aqt_element").values_list("pk", "code"))
    counts: Counter = Counter()
    for element_id, ct_id in attachments.values_list("element_id", "content_type_id"):
        if element_id:
            counts[codes.get(element_id, "")] += 1
        elif ct_id and ct_id in cts:
            counts[element_for(*cts[ct_id])] += 1
        else:
            counts[""] += 1
    return counts


def completeness(org_unit, scheme=None) -> list[dict]:
    """Per element: the evidence the scheme expects (its items) and how many files are there.

    Status: "complete" (at least one file per item), "partial" (some files), "missing" (none).
    """
    scheme = scheme or default_scheme()
    items_by_element: dict[int, list] = {}
    if scheme is not None:
        for item in scheme.items.all():
            items_by_element.setdefault(item.element_id, []).append(item)
    counts = element_counts(Attachment.objects.filter(org_unit=org_unit))
    rows = []
    for element in elements():
        items = items_by_element.get(element.pk, [])
        expected = len(items) or 1
        present = counts.get(element.code, 0)
        status = "complete" if present >= expected else ("partial" if present else "missing")
        rows.append({"element": element, "items": items, "expected": expected, "present": present,
                     "status": status, "percent": min(100, round(100 * present / expected))})
    return rows


def completeness_summary(org_unit) -> dict:
    rows = completeness(org_unit)
    complete = sum(1 for r in rows if r["status"] == "complete")
    return {"rows": rows, "complete": complete, "total": len(rows),
            "percent": round(100 * complete / len(rows)) if rows else 0}
