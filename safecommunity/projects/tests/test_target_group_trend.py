"""A project's page draws the injuries of its area and its target group (an age range) from
the real injuries app, through the plugin interface."""

from datetime import date

from safecommunity.core.models import CodeItem
from safecommunity.injuries.models import InjuryRecord, ReportingSource
from safecommunity.projects import selectors
from safecommunity.projects.forms import ProjectForm
from safecommunity.projects.tests.factories import ProjectFactory


def _record(tree, occurred_on, age, area="traffic"):
    def code(key, c):
        return CodeItem.objects.get(codelist__key=key, code=c)

    source, _ = ReportingSource.objects.get_or_create(
        org_unit=tree["500103003"], name="市急救中心", defaults={"kind": code("injury_source_kind", "hospital")})
    InjuryRecord.objects.create(
        org_unit=tree["500103003"], occurred_on=occurred_on, age=age, sex="F", safety_area=code("safety_area", area),
        place=code("injury_place", "road"), activity=code("injury_activity", "walking"),
        mechanism=code("injury_mechanism", "motor_vehicle"), intent=code("injury_intent", "unintentional"),
        severity=code("injury_severity", "mild"), outcome=code("injury_outcome", "discharged"), source=source,
    )


def test_trend_has_a_line_for_the_target_age_group(tree):
    project = ProjectFactory(start_on=date(2025, 3, 1), end_on=date(2026, 2, 28), target_group="老年人",
                             target_age_min=60, target_age_max=120,
                             safety_area=CodeItem.objects.get(codelist__key="safety_area", code="traffic"))
    _record(tree, date(2025, 2, 10), 72)  # in the group, the month before the start
    _record(tree, date(2025, 2, 11), 30)  # same area, outside the age group
    _record(tree, date(2025, 4, 2), 65)
    _record(tree, date(2025, 4, 3), 80, area="home")  # in the group, another area
    trend = selectors.project_trend(project)
    group = next(s for s in trend["series"] if "60–120" in s["name"])
    by_month = dict(zip(trend["categories"], group["data"], strict=True))
    assert (by_month["2025-02"], by_month["2025-03"], by_month["2025-04"]) == (1, 0, 1)
    area_line = next(s for s in trend["series"] if s is not group)
    assert dict(zip(trend["categories"], area_line["data"], strict=True))["2025-02"] == 2


def test_target_age_range_is_checked():
    form = ProjectForm(data={"target_age_min": "70", "target_age_max": "60"})
    form.is_valid()
    assert "target_age_max" in form.errors
    form = ProjectForm(data={"target_age_min": "60"})
    form.is_valid()
    assert "target_age_max" in form.errors
