"""Absurd dates are refused with a message naming the field (core.validators.plausible_date, on
every date field of our models: full_clean, model forms and API serializers): deadlines,
activity and drill dates of 9999-12-31, equipment dates of 0001-01-01; a year without figures
on the injury statistics is a 400, not another year's figures."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safecommunity.activities.tests import factories as f
from safecommunity.core.validators import plausible_date

pytestmark = pytest.mark.django_db


def test_the_validator_bounds():
    today = timezone.localdate()
    for good in (date(1900, 1, 1), today, today + timedelta(days=365 * 10)):
        plausible_date(good)
    for bad in (date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31), today.replace(year=today.year + 51)):
        with pytest.raises(ValidationError):
            plausible_date(bad)


@pytest.mark.parametrize("factory, field, value", [
    (f.ActivityFactory, "held_on", date(9999, 12, 31)),
    (f.DrillFactory, "held_on", date(9999, 12, 31)),
    (f.EquipmentFactory, "acquired_on", date(1, 1, 1)),
    (f.EquipmentFactory, "next_check_on", date(9999, 12, 31)),
])
def test_full_clean_names_the_field(tree, factory, field, value):
    record = factory.build(org_unit=tree["500103003"], **{field: value})
    with pytest.raises(ValidationError) as exc:
        record.full_clean()
    assert field in exc.value.message_dict and "1900-01-01" in exc.value.message_dict[field][0]


def test_the_api_refuses_a_drill_in_9999(api_client_for, unit_a):
    from safecommunity.activities.models import Drill

    data = {"title": "地震演练", "event_type": "natural_disaster", "scenario": "地震疏散", "participants": 30}
    client = api_client_for(unit_a)
    bad = client.post("/api/v1/drills/", {**data, "held_on": "9999-12-31"}, format="json")
    assert bad.status_code == 400 and "held_on" in bad.json()
    bad = client.post("/api/v1/equipment/", {"name": "灭火器", "quantity": 2, "acquired_on": "0001-01-01"}, format="json")
    assert bad.status_code == 400 and "acquired_on" in bad.json()
    assert not Drill.objects.exists()
    assert client.post("/api/v1/drills/", {**data, "held_on": "2025-05-12"}, format="json").status_code == 201


def test_the_activity_page_refuses_9999(client_for, unit_a):
    from safecommunity.activities.models import Drill

    response = client_for(unit_a).post("/activities/drills/new/", {
        "title": "地震演练", "event_type": "natural_disaster", "scenario": "地震疏散", "held_on": "9999-12-31",
        "participants": 30})
    assert response.status_code == 200 and "held_on" in response.context["form"].errors
    assert not Drill.objects.exists()


def test_a_hazard_deadline_in_9999_is_refused(unit_a, district_a, api_client_for):
    from safecommunity.hazards.models import Hazard
    from safecommunity.hazards.tests.factories import report

    hazard = report(unit_a)
    response = api_client_for(district_a).post(f"/api/v1/hazards/{hazard.pk}/assign/",
                                               {"responsible_unit": "500103003", "deadline": "9999-12-31"}, format="json")
    assert response.status_code == 400 and "deadline" in response.json()
    assert Hazard.objects.get(pk=hazard.pk).deadline is None


@pytest.mark.parametrize("year", ["9999", "1999", "0", "12345678901234567890", "abc"])
def test_injury_statistics_of_a_year_without_figures_is_400(year, client_for, api_client_for, unit_a):
    response = api_client_for(unit_a).get(f"/api/v1/injuries/statistics/?year={year}")
    assert response.status_code == 400 and "year" in response.json()
    response = client_for(unit_a).get(f"/injuries/analysis/?year={year}")
    assert response.status_code == 400 and "2000" in response.content.decode()
    assert client_for(unit_a).get(f"/injuries/analysis/?year={timezone.localdate().year}").status_code == 200
