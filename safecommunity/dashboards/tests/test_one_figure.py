"""One figure, one source: every card of a home page that shows how many townships are launched or
designated says the same number — the figures, the district table and the yearly plan panel — for
the city and for a district."""

import re
from datetime import date

import pytest

from safecommunity.creation.tests.factories import bring_to

pytestmark = pytest.mark.django_db


def _kpi(html, kpi_id):
    return int(re.search(rf'id="{kpi_id}"><div class="sc-kpi-value">(\d+)<', html).group(1))


def _table_sums(html):
    table = html[html.index('id="district-table"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr><td><a[^>]*>[^<]*</a></td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", table)
    return sum(int(r[1]) for r in rows), sum(int(r[2]) for r in rows)


def _plan_panel(html):
    panel = html[html.index('id="creation-plan-progress"'):]
    values = dict((label, int(v)) for v, label in re.findall(
        r'<div class="sc-kpi-value">(\d+)</div><div class="sc-kpi-label">([^<]+)</div>', panel[:3000]))
    return values["累计启动"], values["已命名"]


@pytest.fixture
def units(city_admin):
    from safecommunity.creation.services import plan_year_open

    plan_year_open(year=date.today().year, actor=city_admin)
    bring_to("500103003", "city", city=city_admin)
    bring_to("500103001", "launched", city=city_admin)
    bring_to("500106001", "national", city=city_admin)
    bring_to("500106002", "launched", city=city_admin)


@pytest.mark.parametrize("who, launched, designated", [("city_admin", 4, 2), ("district_a", 2, 1)])
def test_every_card_agrees(client_for, units, who, launched, designated, request):
    html = client_for(request.getfixturevalue(who)).get("/").content.decode()
    assert (_kpi(html, "kpi-launched"), _kpi(html, "kpi-designated")) == (launched, designated)
    assert _table_sums(html) == (launched, designated)
    assert _plan_panel(html) == (launched, designated)
