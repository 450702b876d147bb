"""Figures of a month, collected from every app's `monthly_figures.py` (see core/plugins.py).

A plugin module defines `FIGURES` and `monthly_figures(*, creating_unit_ids, period)`. It may
also define `DISTRICT_FIGURES` and `district_figures(*, district_ids, period)` for work done
by the district itself (its trainings, the launches it decided): district summaries add them.
"""

from datetime import date

from safecommunity.core.plugins import Figure
from safecommunity.core.registry import contributions


def _modules():
    return contributions("monthly_figures")


def figure_definitions() -> list[Figure]:
    seen, result = set(), []
    for module in _modules():
        for f in getattr(module, "FIGURES", []):
            if f.key not in seen:
                seen.add(f.key)
                result.append(f)
    return sorted(result, key=lambda f: (f.order, f.key))


def district_figure_definitions() -> list[Figure]:
    seen, result = set(), []
    for module in _modules():
        if not hasattr(module, "district_figures"):
            continue
        for f in getattr(module, "DISTRICT_FIGURES", []):
            if f.key not in seen:
                seen.add(f.key)
                result.append(f)
    return sorted(result, key=lambda f: (f.order, f.key))


def summary_labels() -> dict[str, tuple[str, str]]:
    """The counts a district summary adds to the summed figures."""
    from django.utils.translation import gettext as _

    return {"units_expected": (_("Units expected to report"), ""),
            "unit_reports_approved": (_("Unit reports approved"), ""),
            "unit_nil_reports": (_("Nil reports"), "")}


def figure_labels() -> dict[str, tuple[str, str]]:
    """{key: (label, unit)} for every figure a unit or district report may hold."""
    labels = summary_labels()
    for f in figure_definitions() + district_figure_definitions():
        labels[f.key] = (str(f.label), str(f.unit or ""))
    return labels


def _as_int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def collect_unit_figures(*, creating_unit_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    """{creating_unit_id: {key: value}} with every defined key present (0 when a plugin says nothing)."""
    ids = list(creating_unit_ids)
    result: dict[int, dict[str, int]] = {cid: {} for cid in ids}
    if not ids:
        return result
    for module in _modules():
        keys = [f.key for f in getattr(module, "FIGURES", [])]
        data = module.monthly_figures(creating_unit_ids=ids, period=period) or {}
        for cid in ids:
            row = data.get(cid) or {}
            for key in keys:
                result[cid][key] = _as_int(row.get(key))
    return result


def collect_district_figures(*, district_ids: list[int], period: date) -> dict[int, dict[str, int]]:
    ids = list(district_ids)
    result: dict[int, dict[str, int]] = {did: {} for did in ids}
    for module in _modules():
        if not hasattr(module, "district_figures"):
            continue
        keys = [f.key for f in getattr(module, "DISTRICT_FIGURES", [])]
        data = module.district_figures(district_ids=ids, period=period) or {}
        for did in ids:
            row = data.get(did) or {}
            for key in keys:
                result[did][key] = _as_int(row.get(key))
    return result


def figures_difference(reported: dict, current: dict) -> list[dict]:
    """Rows {key, label, reported, current, delta} for every figure that differs."""
    labels = figure_labels()
    rows = []
    for key in sorted(set(reported) | set(current), key=lambda k: list(labels).index(k) if k in labels else 999):
        a, b = _as_int(reported.get(key)), _as_int(current.get(key))
        if a != b:
            rows.append({"key": key, "label": labels.get(key, (key, ""))[0], "reported": a, "current": b,
                         "delta": b - a})
    return rows
