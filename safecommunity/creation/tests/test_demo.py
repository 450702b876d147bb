import io

from safecommunity.creation import demo
from safecommunity.creation.models import (
    CreationTransition,
    FollowUp,
    JointMeeting,
    PlanYear,
    ResponsibilityLetter,
)
from safecommunity.orgunits.models import CreatingUnit


def test_demo_builds_and_is_idempotent(city_admin, district_a, district_b):
    demo.build(stdout=io.StringIO())
    counts = (PlanYear.objects.count(), CreationTransition.objects.count(), ResponsibilityLetter.objects.count(),
              JointMeeting.objects.count(), FollowUp.objects.count())
    assert counts[0] == 2 and all(counts)
    jfb = CreatingUnit.objects.get(org_unit__code="500103003")
    assert (jfb.status, jfb.launch_year) == ("city", 2024)
    assert CreatingUnit.objects.get(org_unit__code="500106001").status == "applied"
    assert CreatingUnit.objects.filter(org_unit__parent__code="500103", status="not_started").exists()
    demo.build(stdout=io.StringIO())
    assert counts == (PlanYear.objects.count(), CreationTransition.objects.count(),
                      ResponsibilityLetter.objects.count(), JointMeeting.objects.count(), FollowUp.objects.count())
