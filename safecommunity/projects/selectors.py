"""Reads for project pages: the injury trend around a project, from the injuries app's monthly
figures when that app is installed (found through the plugin registry, never imported)."""

import logging
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.core.registry import contributions

logger = logging.getLogger(__name__)


def month_add(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def injury_modules():
    return [m for m in contributions("monthly_figures") if m.__name__.split(".")[-2] == "injuries"]


def project_trend(project, *, before: int = 12, after: int = 12) -> dict | None:
    """Monthly injury figures of the project's unit whose key names its safety area, from `before`
    months ahead of the start to `after` months past it (not beyond this month).

    None when no injury data source is installed; {"categories", "series", "start_index"} else.
    """
    modules = injury_modules()
    if not modules:
        return None
    creating_unit = getattr(project.org_unit, "creating_unit", None)
    if creating_unit is None:
        return None
    area = project.safety_area.code
    start = month_add(project.start_on.replace(day=1), -before)
    this_month = timezone.localdate().replace(day=1)
    months = [month_add(start, i) for i in range(before + after + 1)]
    months = [m for m in months if m <= this_month]
    series: dict[str, dict] = {}
    for module in modules:
        labels = {f.key: str(f.label) for f in getattr(module, "FIGURES", [])}
        keys = [k for k in labels if area in k]
        for k in keys:
            series.setdefault(k, {"name": labels[k], "data": [], "type": "line"})
        for period in months:
            try:
                figures = module.monthly_figures(creating_unit_ids=[creating_unit.pk], period=period) or {}
            except Exception:  # a parallel app's figures must never break the project page
                logger.exception("monthly figures of %s failed", module.__name__)
                return None
            row = figures.get(creating_unit.pk, {})
            for k in list(series):
                if k in keys:
                    series[k]["data"].append(row.get(k, 0))
            for k, v in row.items():  # keys only discovered in the data
                if area in k and k not in series:
                    series[k] = {"name": labels.get(k, k), "data": [0] * (months.index(period)) + [v], "type": "line"}
    low, high = project.target_age_min, project.target_age_max
    if low is not None and high is not None and months:
        for module in modules:
            counts_of = getattr(module, "injury_counts", None)
            if counts_of is None:
                continue
            end = month_add(months[-1], 1).replace(day=1)
            counts = counts_of(creating_unit_ids=[creating_unit.pk], start=months[0],
                               end=date.fromordinal(end.toordinal() - 1), safety_area_code=area,
                               age_min=low, age_max=high)
            series["target_group"] = {
                "name": _("%(area)s, target group aged %(low)d–%(high)d") % {
                    "area": project.safety_area, "low": low, "high": high},
                "data": [counts.get(f"{m:%Y-%m}", 0) for m in months], "type": "line"}
    if not series:
        return {"categories": [], "series": [], "start_index": None}
    start_month = project.start_on.replace(day=1)
    return {
        "categories": [m.strftime("%Y-%m") for m in months],
        "series": list(series.values()),
        "start_index": months.index(start_month) if start_month in months else None,
    }


def evaluation_status(project, year: int) -> list[dict]:
    """For each half of `year` the project ran in: whether it has its evaluation."""
    done = {e.half: e for e in project.evaluations.all() if e.year == year}
    return [{"half": h, "evaluation": done.get(h)} for h in project.halves_in(year)]
