"""What other apps read: obligations for the scorecard, monthly figures, panels."""

from datetime import date, timedelta

import pytest

from safecommunity.core.registry import contributions
from safecommunity.hazards import monthly_figures, obligations, services
from safecommunity.hazards.models import Hazard
from safecommunity.hazards.tests.factories import area, report, unit
from safecommunity.orgunits.models import CreatingUnit

pytestmark = pytest.mark.django_db


def cu(code):
    return CreatingUnit.objects.get(org_unit__code=code)


def test_the_plugins_are_discovered():
    names = {m.__name__ for m in contributions("obligations")} | {m.__name__ for m in contributions("monthly_figures")}
    assert "safecommunity.hazards.obligations" in names and "safecommunity.hazards.monthly_figures" in names


def test_registers_kept_counts_the_kinds_with_an_entry(unit_a, unit_a2):
    today = services.local_today()
    common = {"safety_area": area("elderly"), "risk_level": "yellow", "last_reviewed_on": today}
    services.risk_entry_save(actor=unit_a, org_unit=unit("500103003"), kind="group", name="独居老人", count=5, **common)
    services.risk_entry_save(actor=unit_a, org_unit=unit("500103003"), kind="group", name="残疾人", count=3, **common)
    services.risk_entry_save(actor=unit_a, org_unit=unit("500103003"), kind="vulnerable", name="留守儿童", count=2,
                             **common)
    counts = obligations.count_registers(creating_unit_ids=[cu("500103003").pk, cu("500103001").pk],
                                         year=today.year)
    assert counts == {cu("500103003").pk: 2}
    assert obligations.count_registers(creating_unit_ids=[cu("500103003").pk], year=today.year - 1) == {}


def test_closed_in_time_percentage(unit_a, district_a, run_loop):
    today = services.local_today()
    ids = [cu("500103003").pk, cu("500103001").pk]
    year = today.year
    in_time = run_loop(report(unit_a), "closed")
    late = run_loop(report(unit_a), "assigned")
    Hazard.objects.filter(pk=in_time.pk).update(deadline=today - timedelta(days=1), closed_on=today - timedelta(days=2))
    Hazard.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=1))
    if (today - timedelta(days=1)).year != year:  # 1 January: the deadline fell last year
        year -= 1
    values = obligations.count_closed_in_time_pct(creating_unit_ids=ids, year=year)
    assert values == {cu("500103003").pk: 50, cu("500103001").pk: 100}


def test_monthly_figures_count_found_closed_and_overdue_at_month_end(unit_a, district_a, run_loop):
    h1 = run_loop(report(unit_a), "closed")
    h2 = run_loop(report(unit_a), "rectifying")
    h3 = report(unit_a)
    Hazard.objects.filter(pk=h1.pk).update(found_on=date(2026, 3, 5), deadline=date(2026, 3, 20),
                                           closed_on=date(2026, 3, 25))
    Hazard.objects.filter(pk=h2.pk).update(found_on=date(2026, 3, 10), deadline=date(2026, 3, 31))
    Hazard.objects.filter(pk=h3.pk).update(found_on=date(2026, 4, 1))
    ids = [cu("500103003").pk]
    march = monthly_figures.monthly_figures(creating_unit_ids=ids, period=date(2026, 3, 1))
    # h2's deadline is the last day of March: not late at month end.
    assert march[ids[0]] == {"hazards_found": 2, "hazards_rectified": 1, "hazards_overdue": 0}
    april = monthly_figures.monthly_figures(creating_unit_ids=ids, period=date(2026, 4, 1))
    assert april[ids[0]] == {"hazards_found": 1, "hazards_rectified": 0, "hazards_overdue": 1}
    february = monthly_figures.monthly_figures(creating_unit_ids=ids, period=date(2026, 2, 1))
    assert february[ids[0]] == {"hazards_found": 0, "hazards_rectified": 0, "hazards_overdue": 0}


def test_unit_panel_respects_scope(rf, hazard, district_b, district_a):
    from safecommunity.hazards.unit_panels import unit_panels

    request = rf.get("/")
    request.user = district_a
    panel = unit_panels(request, unit("500103003"), cu("500103003"))[0]["context"]
    assert panel["total"] == 1 and panel["open"] == 1
    request.user = district_b
    panels = unit_panels(request, unit("500103"), None)
    assert panels == []
