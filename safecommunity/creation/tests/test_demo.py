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
    assert (jfb.status, jfb.launch_year) == ("launched", 2024)  # the evaluation demo designates it
    assert CreatingUnit.objects.get(org_unit__code="500103004").status == "national"
    assert CreatingUnit.objects.filter(org_unit__parent__code="500103", status="not_started").exists()
    demo.build(stdout=io.StringIO())
    assert counts == (PlanYear.objects.count(), CreationTransition.objects.count(),
                      ResponsibilityLetter.objects.count(), JointMeeting.objects.count(), FollowUp.objects.count())


def test_demo_enterprises_register_and_launch(city_admin, district_a, district_b, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(demo, "user", lambda name: {"yuzhong_admin": district_a,
                                                    "shapingba_admin": district_b}.get(name, city_admin))
    demo._enterprises(today=timezone.localdate())
    demo._enterprises(today=timezone.localdate())
    units = CreatingUnit.objects.exclude(kind="township")
    assert sorted(units.values_list("org_unit__code", "status")) == [("500103E001", "launched"),
                                                                      ("500106P001", "launched")]
